import { z } from 'zod';
import { hotelDate, id } from './common.ts';

// The public guest site (no staff login): what the booking and manage-booking forms may send. These
// are HTTP form posts, not socket commands; the server validates them with these schemas.

const departureAfterArrival = (v: { arrival: string; departure: string }) => v.departure > v.arrival;

/** `/book/<slug>?arrival&departure&adults&promo`: the stay a guest is looking at. */
export const publicStayQuery = z
  .object({
    arrival: hotelDate,
    departure: hotelDate,
    adults: z.coerce.number().int().min(1).max(10).default(2),
    children: z.coerce.number().int().min(0).max(10).default(0),
    promo: z.string().trim().max(40).optional().transform((v) => (v ? v : undefined)),
  })
  .refine(departureAfterArrival, { message: 'Departure must be after arrival', path: ['departure'] });
export type PublicStayQuery = z.infer<typeof publicStayQuery>;

/** POST `/book/<slug>`: the guest's details for one quoted room type and plan. */
export const publicBookingRequest = z
  .object({
    /** Generated into the form: a retried or double-clicked submit books once. */
    requestId: id,
    roomTypeId: id,
    ratePlanId: id,
    arrival: hotelDate,
    departure: hotelDate,
    adults: z.coerce.number().int().min(1).max(10),
    children: z.coerce.number().int().min(0).max(10).default(0),
    promo: z.string().trim().max(40).optional().transform((v) => (v ? v : undefined)),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    email: z.email().max(254),
    phone: z.string().trim().regex(/^\+?[0-9 ()./-]{5,30}$/, 'A phone number').optional().or(z.literal('').transform(() => undefined)),
  })
  .refine(departureAfterArrival, { message: 'Departure must be after arrival', path: ['departure'] });
export type PublicBookingRequest = z.infer<typeof publicBookingRequest>;

/** POST `/book/<slug>/manage/issue`: a support issue; it joins the hotel's tickets with source `guest`. */
export const publicIssueRequest = z.object({ token: z.string().min(10).max(200), requestId: id, text: z.string().trim().min(5).max(2000) });

/** POST `/book/<slug>/manage/reply`: the guest answers the hotel on one of their own support issues. */
export const publicIssueReplyRequest = z.object({ token: z.string().min(10).max(200), requestId: id, ticketId: id, text: z.string().trim().min(1).max(2000) });

/** POST `/book/<slug>/manage/cancel`: the signed manage-booking token names the booking. */
export const publicCancelRequest = z.object({ token: z.string().min(10).max(200), requestId: id });
