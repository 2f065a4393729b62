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
  if (err instanceof ConnectionException) return { code: 'UNAVAILABLE', message: 'The database is unavailable; retry shortly' };
  if (err instanceof DriverException) {
    const code = (err as { code?: string }).code;
    if (code === EXCLUSION_VIOLATION) return { code: 'CONFLICT', message: 'The room is not free for those dates' };
    if (code === SERIALIZATION_FAILURE || code === DEADLOCK) return { code: 'CONFLICT', message: 'A concurrent change won; retry' };
    if (code === CHECK_VIOLATION) return { code: 'CONFLICT', message: 'Not available' };
    // FATAL is what Postgres says when a session cannot start or was killed: the database, not
    // the command, is the problem.
    const severity = (err as { severity?: string }).severity;
    if (code?.startsWith('08') || code?.startsWith('57P') || code === '53300' || severity === 'FATAL') return { code: 'UNAVAILABLE', message: 'The database is unavailable; retry shortly' };
  }
  const sysCode = (err as { code?: string } | null)?.code;
  if (sysCode === 'ECONNREFUSED' || sysCode === 'ECONNRESET' || sysCode === 'ETIMEDOUT') {
    return { code: 'UNAVAILABLE', message: 'The database is unavailable; retry shortly' };
  }
  return { code: 'INTERNAL', message: 'Something went wrong; the team has been told' };
}
