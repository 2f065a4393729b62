// Helpers shared by the housekeeping medium tests (not a test file itself).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { z } from 'zod';
import { defineCommand, type Ack, type EventEnvelope, type HousekeepingSnapshot, type PropertySnapshotBase, type TaskView } from '@innboard/shared';
import { reservationCheckedOut } from '@innboard/shared/protocol/reservations';
import { createDispatcher } from '../../pipeline/dispatch.ts';
import { handlers, reactions } from '../../registry.ts';
import { byPropertyId, defineHandler, type CommandHandler } from '../../pipeline/types.ts';
import { createLogger } from '../../logger.ts';
import type { Client, TestServer } from '../../testing/factory.ts';

export type Snapshot = PropertySnapshotBase & HousekeepingSnapshot;

export const errorCode = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);

/** The result of a successful ack; fails the test with the error otherwise. */
export function ok<R>(ack: Ack<R>): R {
  if (!ack.ok) expect.fail(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

export async function snapshotOf(client: Client, propertyId: string): Promise<{ seq: number; snapshot: Snapshot }> {
  const res = await client.sync(propertyId);
  if (!res.ok || !('snapshot' in res)) throw new Error('expected a snapshot');
  return { seq: res.seq, snapshot: res.snapshot as Snapshot };
}

export async function roomStatusInDb(server: TestServer, roomId: string): Promise<string> {
  const [row] = await server.app.orm.em.fork().execute<{ status: string }[]>('select status from room where id = ?', [roomId]);
  return row!.status;
}

export async function taskInDb(server: TestServer, taskId: string) {
  const [row] = await server.app.orm.em.fork().execute<{ status: string; assignee_id: string | null; inspection_note: string | null; version: number }[]>(
    'select status, assignee_id, inspection_note, version from housekeeping_task where id = ?', [taskId],
  );
  return row;
}

export async function countRows(server: TestServer, table: 'housekeeping_task' | 'maintenance_ticket' | 'ticket_comment'): Promise<number> {
  const [row] = await server.app.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
  return Number(row!.n);
}

export const isTaskEvent = (type: 'task.created' | 'task.updated', taskId: string, status?: TaskView['status']) => (e: EventEnvelope) =>
  e.type === type && (e.payload as TaskView).taskId === taskId && (status === undefined || (e.payload as TaskView).status === status);

/**
 * The check-out command belongs to the reservations branch. This stand-in emits the real
 * `reservation.checkedOut` event spec from a test-only command, run by the real dispatcher with the
 * real registry's reactions: the same unit of work, event log, audit and ack path as production.
 * Committed events are then published to the property room exactly as the gateway does.
 */
const testCheckOut = defineCommand('test.checkOut', {
  permission: 'reservation.checkIn',
  description: 'test stand-in for reservation.checkOut',
  payload: z.object({ propertyId: z.uuid(), reservationId: z.uuid(), roomId: z.uuid(), departure: z.iso.date(), early: z.boolean() }),
});

export function checkOutHarness(server: TestServer) {
  const handler = defineHandler(testCheckOut, {
    scope: byPropertyId,
    handle: async (ctx, { propertyId: _, ...checkedOut }) => {
      ctx.emit(reservationCheckedOut, checkedOut);
      return { reservationId: checkedOut.reservationId };
    },
  });
  const dispatch = createDispatcher({
    orm: server.app.orm,
    handlers: new Map<string, CommandHandler>([...handlers, [testCheckOut.type, handler as CommandHandler]]),
    reactions,
    logger: createLogger('silent'),
    publish: (events) => {
      for (const e of events) server.app.transport.io.to(`property:${e.propertyId}`).emit('event', e);
    },
  });
  return async function checkOut(userId: string, payload: z.infer<typeof testCheckOut.payload>, id = randomUUID()) {
    return dispatch({ userId, consume: async () => true }, { id, type: testCheckOut.type, payload });
  };
}
