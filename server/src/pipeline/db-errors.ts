import { ConnectionException, DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ErrorBody } from '@innboard/shared';

const EXCLUSION_VIOLATION = '23P01';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';
const CHECK_VIOLATION = '23514';

/**
 * Maps what the database said to a contract error. Constraints are the last line of defence
 * (double booking, stale versions); their messages never reach the client verbatim.
 * Returns 'DUPLICATE_COMMAND' when the idempotency record already exists.
 */
export function toErrorBody(err: unknown): ErrorBody | 'DUPLICATE_COMMAND' {
  if (err instanceof OptimisticLockError) {
    return { code: 'CONFLICT', message: 'Someone else changed this in the meantime; reload and try again' };
  }
  if (err instanceof UniqueConstraintViolationException) {
    const constraint = (err as { constraint?: string }).constraint ?? '';
    if (constraint === 'command_result_pkey' || /command_result_pkey/.test(err.message)) return 'DUPLICATE_COMMAND';
    return { code: 'CONFLICT', message: 'That already exists' };
  }
  if (err instanceof ConnectionException) return UNAVAILABLE;
  if (err instanceof DriverException) {
    const code = (err as { code?: string }).code;
    if (code === EXCLUSION_VIOLATION) return { code: 'CONFLICT', message: 'The room is not free for those dates' };
    if (code === SERIALIZATION_FAILURE || code === DEADLOCK) return { code: 'CONFLICT', message: 'A concurrent change won; retry' };
    if (code === CHECK_VIOLATION) return { code: 'CONFLICT', message: 'Not available' };
  }
  if (isDatabaseUnreachable(err)) return UNAVAILABLE;
  return { code: 'INTERNAL', message: 'Something went wrong; the team has been told' };
}

const UNAVAILABLE: ErrorBody = { code: 'UNAVAILABLE', message: 'The database is unavailable; retry shortly' };
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * The database, not the command, is the problem. Errors raised while the pool acquires or begins reach us
 * as node-postgres' own objects, not wrapped in a MikroORM exception (a PostgreSQL restart answered
 * INTERNAL before this looked at them): connection exceptions (08), operator intervention (57P: shutting
 * down, starting up, sessions terminated), too many connections, a FATAL (the session could not start
 * or was killed), a network error, or node-postgres' code-less "Connection terminated" family.
 */
function isDatabaseUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || NETWORK_CODES.has(code)) return true;
  if (e?.severity === 'FATAL') return true;
  return typeof e?.message === 'string' && /^Connection terminated|not queryable|timeout exceeded when trying to connect/i.test(e.message);
}
