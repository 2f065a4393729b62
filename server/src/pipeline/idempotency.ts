import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ack, ErrorCode } from '@innboard/shared';

/** Answers that say "try again later" are not remembered: a retry must get a real chance. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL']);

export function isRememberable(ack: Ack): boolean {
  return ack.ok || !TRANSIENT.has(ack.error.code);
}

export async function findStoredAck(em: EntityManager, commandId: string): Promise<{ userId: string; ack: Ack } | null> {
  const rows = await em.execute<{ user_id: string; ack: Ack }[]>('select user_id, ack from command_result where id = ?', [commandId]);
  return rows[0] ? { userId: rows[0].user_id, ack: rows[0].ack } : null;
}

/** Outside any transaction, for failures; a duplicate that lost the race keeps the first answer. */
export async function storeFailureAck(em: EntityManager, commandId: string, userId: string, type: string, ack: Ack, at: Date): Promise<void> {
  await em.execute(
    'insert into command_result (id, user_id, type, ack, created_at) values (?, ?, ?, ?::jsonb, ?) on conflict (id) do nothing',
    [commandId, userId, type, JSON.stringify(ack), at],
    'run',
  );
}

export async function pruneAcks(em: EntityManager, olderThan: Date): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>('delete from command_result where created_at < ?', [olderThan], 'run');
  return res.affectedRows ?? 0;
}

/**
 * A deterministic command id for system work (a UUID v5 shape over sha-1 of the parts), so the same
 * work asked for twice, e.g. by a resumed job, shares one idempotency record.
 */
export function systemCommandId(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
