import { createHmac, timingSafeEqual } from 'node:crypto';

// The manage-booking link: `<booking id>.<HMAC-SHA256 of it, base64url>`. Anyone holding the link may
// view and cancel that one booking; a changed character anywhere fails the check, and booking ids
// are random (not the reservation id), so links cannot be guessed or enumerated.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sign = (secret: string, bookingId: string) => createHmac('sha256', secret).update(`guest-booking:${bookingId}`).digest('base64url');

export function manageToken(secret: string, bookingId: string): string {
  return `${bookingId}.${sign(secret, bookingId)}`;
}

/** The booking id a token names, or null when it is malformed or its signature does not match. */
export function verifyManageToken(secret: string, token: string): string | null {
  const [bookingId, sig, extra] = token.split('.');
  if (!bookingId || !sig || extra !== undefined || !UUID.test(bookingId)) return null;
  const expected = Buffer.from(sign(secret, bookingId));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? bookingId : null;
}
