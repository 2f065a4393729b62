import type { ErrorBody, ErrorCode } from '@innboard/shared';

/** What to tell a front-desk agent when the server gave no message of its own. */
const FALLBACK: Record<ErrorCode, string> = {
  VALIDATION: 'Some details are missing or not valid.',
  UNAUTHORIZED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'Your role does not allow this.',
  NOT_FOUND: 'It no longer exists. It may have been removed by someone else.',
  CONFLICT: 'Someone else changed this first. The board now shows the latest state.',
  UNAVAILABLE: 'The server is busy right now. Try again in a moment.',
  RATE_LIMITED: 'Too many changes in a short time. Wait a moment and try again.',
  INTERNAL: 'Something went wrong on the server. Try again; if it keeps happening, call support.',
  PROTOCOL_VERSION: 'This board is out of date. Reload the page.',
  TOO_LARGE: 'That is too much text for one note. Shorten it or split it.',
};

export function describeError(error: ErrorBody): string {
  const message = error.message?.trim();
  return message ? message : (FALLBACK[error.code] ?? FALLBACK.INTERNAL);
}

/** An ErrorBody as an Error, for promise rejections. */
export class LiveError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(body: ErrorBody) {
    super(describeError(body));
    this.name = 'LiveError';
    this.code = body.code;
    this.details = body.details;
  }
}
