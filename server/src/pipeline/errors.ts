import type { ErrorBody, ErrorCode } from '@innboard/shared';

/** A rule said no. The message is read by front-desk staff: plain words, no internals. */
export class CommandError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
  toBody(): ErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string) => new CommandError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new CommandError('CONFLICT', message, details);
export const forbidden = (message = 'You do not have permission to do that') => new CommandError('FORBIDDEN', message);
export const invalid = (message: string, details?: unknown) => new CommandError('VALIDATION', message, details);
