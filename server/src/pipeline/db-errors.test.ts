// What the database said, mapped to the contract: a database that went away is UNAVAILABLE (the client
// retries with the same id), whatever shape the error reached us in.
import { describe, expect, it } from 'vitest';
import { toErrorBody } from './db-errors.ts';

/** node-postgres' DatabaseError as the pool throws it, unwrapped. */
const pgError = (code: string, severity: string, message: string) => Object.assign(new Error(message), { name: 'error', code, severity });

describe('toErrorBody', () => {
  it.each([
    ['shutting down (57P03, pool acquire during a restart)', pgError('57P03', 'FATAL', 'the database system is shutting down')],
    ['terminated by the administrator (57P01)', pgError('57P01', 'FATAL', 'terminating connection due to administrator command')],
    ['connection failure (08006)', pgError('08006', 'ERROR', 'connection failure')],
    ['too many connections (53300)', pgError('53300', 'FATAL', 'sorry, too many clients already')],
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['socket gone without a code', new Error('Connection terminated unexpectedly')],
    ['a client whose socket broke', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s -> UNAVAILABLE', (_name, err) => {
    expect(toErrorBody(err)).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('keeps a bug a bug: anything else is INTERNAL without details', () => {
    expect(toErrorBody(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'Something went wrong; the team has been told' });
    expect(toErrorBody(pgError('42P01', 'ERROR', 'relation "nope" does not exist'))).toMatchObject({ code: 'INTERNAL' });
  });
});
