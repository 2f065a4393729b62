import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { publicBookingRequest, publicCancelRequest, publicIssueReplyRequest, publicIssueRequest, publicReviewRequest, publicStayQuery, type ErrorCode } from '@innboard/shared';
import type { Logger } from '../../logger.ts';
import type { HttpRequest, HttpResponse } from '../../transport/types.ts';
import { CommandError } from '../../pipeline/errors.ts';
import { SYSTEM_ACTOR, type CommandContext } from '../../pipeline/types.ts';
import type { RunSystem } from '../../pipeline/dispatch.ts';
import { systemCommandId } from '../../pipeline/idempotency.ts';
import { toSafeError } from '../../pipeline/safe-error.ts';
import { addDays } from '../property/hotel-date.ts';
import { availabilityCalendar, cancelBooking, managedBooking, openIssue, placeBooking, replyToIssue, reviewBooking, roomOffers } from './booking.service.ts';
import { reviewSummary, visibleReviews } from '../reviews/review.service.ts';
import { manageToken, verifyManageToken } from './manage-token.ts';
import { findPublishedPage } from '../collab/published-page.ts';
import { calendarTable, confirmation, contentPage, detailsForm, layout, managePage, message, offersSection, reviewsSection, searchForm } from './pages.ts';

export interface GuestSiteDeps {
  orm: MikroORM;
  runSystem: RunSystem;
  /** Per remote address: every public request, and (stricter) every public write. */
  readLimiter: RateLimiterAbstract;
  writeLimiter: RateLimiterAbstract;
  /** HMAC secret of manage-booking links. */
  linkSecret: string;
  logger: Logger;
}

/** Form posts are small; anything bigger is not a booking form. */
export const MAX_FORM_BYTES = 8 * 1024;
const SLUG = '([a-z0-9-]{1,60})';
const ROUTES = {
  book: new RegExp(`^/book/${SLUG}$`),
  details: new RegExp(`^/book/${SLUG}/details$`),
  manage: new RegExp(`^/book/${SLUG}/manage$`),
  cancel: new RegExp(`^/book/${SLUG}/manage/cancel$`),
  review: new RegExp(`^/book/${SLUG}/manage/review$`),
  issue: new RegExp(`^/book/${SLUG}/manage/issue$`),
  reply: new RegExp(`^/book/${SLUG}/manage/reply$`),
  page: new RegExp(`^/p/${SLUG}/${SLUG}$`),
};
const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION: 400, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429, UNAVAILABLE: 503 };
const INVALID_LINK = 'This booking link is not valid. Please use the link from your confirmation.';

interface Hotel {
  id: string;
  name: string;
  slug: string;
  businessDate: string;
}

const html = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'", ...headers },
  body,
});

/** A guest's retry id in its own namespace: it can never name (and replay) a staff command's id. */
const guestCommandId = (kind: string, requestId: string) => systemCommandId('guest-site', kind, requestId);

/** Reads go through the same services as commands, with a context that cannot write events. */
function readContext(em: EntityManager, propertyId: string): CommandContext {
  return {
    em, propertyId, now: new Date(), actor: SYSTEM_ACTOR, commandId: randomUUID(), services: {},
    emit: () => { throw new Error('the public site reads only outside runSystem'); },
    notify: () => { throw new Error('the public site reads only outside runSystem'); },
    recordChange: () => {},
  };
}

/**
 * The public guest site (`/book/<property-slug>...`), served beside the board without a staff login.
 * Every request is rate-limited per address; writes run as system units of work (seq, audit,
 * idempotency, live broadcast to the property's boards) through `runSystem`.
 */
export function createGuestSite(deps: GuestSiteDeps) {
  const { orm } = deps;

  async function hotelBySlug(em: EntityManager, slug: string): Promise<Hotel | null> {
    const [row] = await em.execute<{ id: string; name: string; business_date: string }[]>(
      `select id, name, to_char(business_date, 'YYYY-MM-DD') as business_date from property where slug = ?`, [slug]);
    return row ? { id: row.id, name: row.name, slug, businessDate: row.business_date } : null;
  }

  const failure = (hotel: Hotel, code: ErrorCode, text: string) => html(STATUS[code] ?? 500, layout('Sorry', hotel.name, message(text)));
  const formOf = (req: HttpRequest) => Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  const linkFor = (hotel: Hotel, bookingId: string) => `/book/${hotel.slug}/manage?token=${encodeURIComponent(manageToken(deps.linkSecret, bookingId))}`;

  async function bookPage(em: EntityManager, hotel: Hotel, req: HttpRequest): Promise<HttpResponse> {
    const ctx = readContext(em, hotel.id);
    const asked = req.query.has('arrival') ? publicStayQuery.safeParse(Object.fromEntries(req.query)) : null;
    const from = asked?.success && asked.data.arrival >= hotel.businessDate ? asked.data.arrival : hotel.businessDate;
    const q = asked?.success ? asked.data : { arrival: hotel.businessDate, departure: addDays(hotel.businessDate, 1), adults: 2, children: 0, promo: undefined };
    let body = searchForm(hotel.slug, q) + calendarTable(await availabilityCalendar(ctx, from));
    if (asked && !asked.success) body += message('Please pick an arrival and a later departure date.');
    if (asked?.success) {
      try {
        const { offers, offer, nights } = await roomOffers(ctx, asked.data);
        body += offersSection(hotel.slug, asked.data, offers, offer, nights);
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        body += message(err.message);
      }
    }
    body += reviewsSection(await reviewSummary(em, hotel.id), await visibleReviews(em, hotel.id));
    return html(200, layout('Book a room', hotel.name, body));
  }

  function detailsPage(hotel: Hotel, req: HttpRequest): HttpResponse {
    const fields = Object.fromEntries(['roomTypeId', 'ratePlanId', 'arrival', 'departure', 'adults', 'children', 'promo'].map((k) => [k, req.query.get(k) ?? undefined]));
    const stay = publicStayQuery.safeParse(fields);
    if (!stay.success || !fields.roomTypeId || !fields.ratePlanId) return failure(hotel, 'VALIDATION', 'Please choose a room first.');
    const summary = `${stay.data.arrival} – ${stay.data.departure}, ${stay.data.adults} adult${stay.data.adults === 1 ? '' : 's'}`;
    return html(200, layout('Your details', hotel.name, detailsForm(hotel.slug, fields, summary)));
  }

  async function book(hotel: Hotel, req: HttpRequest): Promise<HttpResponse> {
    const form = formOf(req);
    const parsed = publicBookingRequest.safeParse(form);
    if (!parsed.success) {
      const summary = 'Please check your details: ' + parsed.error.issues.map((i) => i.path.join('.') || 'form').join(', ');
      return html(400, layout('Your details', hotel.name, detailsForm(hotel.slug, form, summary, 'Some details are missing or invalid.')));
    }
    const { ack } = await deps.runSystem({ commandId: guestCommandId('book', parsed.data.requestId), type: 'guestSite.book', propertyId: hotel.id }, (ctx) => placeBooking(ctx, parsed.data));
    if (!ack.ok) return failure(hotel, ack.error.code, ack.error.code === 'CONFLICT' ? `Sorry, this room was just taken or is no longer available: ${ack.error.message}` : ack.error.message);
    return html(200, layout('Booking confirmed', hotel.name, confirmation(ack.result, linkFor(hotel, ack.result.bookingId))));
  }

  async function manage(em: EntityManager, hotel: Hotel, token: string, notice?: { ok: boolean; text: string }): Promise<HttpResponse> {
    const bookingId = verifyManageToken(deps.linkSecret, token);
    if (!bookingId) return failure(hotel, 'NOT_FOUND', INVALID_LINK);
    try {
      const booking = await managedBooking(readContext(em, hotel.id), bookingId);
      return html(200, layout('Your booking', hotel.name, managePage(hotel.slug, token, booking, notice)));
    } catch (err) {
      if (err instanceof CommandError && err.code === 'NOT_FOUND') return failure(hotel, 'NOT_FOUND', INVALID_LINK);
      throw err;
    }
  }

  async function cancel(em: EntityManager, hotel: Hotel, req: HttpRequest): Promise<HttpResponse> {
    const parsed = publicCancelRequest.safeParse(formOf(req));
    const bookingId = parsed.success ? verifyManageToken(deps.linkSecret, parsed.data.token) : null;
    if (!parsed.success || !bookingId) return failure(hotel, 'NOT_FOUND', INVALID_LINK);
    const { ack } = await deps.runSystem({ commandId: guestCommandId('cancel', parsed.data.requestId), type: 'guestSite.cancel', propertyId: hotel.id }, (ctx) => cancelBooking(ctx, bookingId));
    if (!ack.ok && ack.error.code === 'NOT_FOUND') return failure(hotel, 'NOT_FOUND', INVALID_LINK);
    const res = await manage(em, hotel, parsed.data.token, ack.ok ? { ok: true, text: 'Your booking is cancelled.' } : { ok: false, text: ack.error.message });
    return ack.ok ? res : { ...res, status: STATUS[ack.error.code] ?? 500 };
  }

  /** A write from the manage page (review, support issue): token first, then the form, then one system unit of work. */
  async function manageWrite<S extends typeof publicReviewRequest | typeof publicIssueRequest | typeof publicIssueReplyRequest>(
    em: EntityManager, hotel: Hotel, req: HttpRequest, kind: 'review' | 'issue' | 'reply', schema: S, invalidText: string, thanks: string,
    work: (ctx: CommandContext, bookingId: string, input: z.infer<S>) => Promise<unknown>,
  ): Promise<HttpResponse> {
    const form = formOf(req);
    const bookingId = typeof form.token === 'string' ? verifyManageToken(deps.linkSecret, form.token) : null;
    if (!bookingId) return failure(hotel, 'NOT_FOUND', INVALID_LINK);
    const parsed = schema.safeParse(form);
    if (!parsed.success) return manage(em, hotel, form.token!, { ok: false, text: invalidText }).then((r) => ({ ...r, status: 400 }));
    const input = parsed.data as z.infer<S>;
    const { ack } = await deps.runSystem({ commandId: guestCommandId(kind, input.requestId), type: `guestSite.${kind}`, propertyId: hotel.id }, (ctx) => work(ctx, bookingId, input));
    if (!ack.ok && ack.error.code === 'NOT_FOUND') return failure(hotel, 'NOT_FOUND', INVALID_LINK);
    const res = await manage(em, hotel, input.token, ack.ok ? { ok: true, text: thanks } : { ok: false, text: ack.error.message });
    return ack.ok ? res : { ...res, status: STATUS[ack.error.code] ?? 500 };
  }

  const review = (em: EntityManager, hotel: Hotel, req: HttpRequest) => manageWrite(em, hotel, req, 'review', publicReviewRequest,
    'Please give a rating from 1 to 5 and a few words.', 'Thank you for your review.', (ctx, id, input) => reviewBooking(ctx, id, { rating: input.rating, text: input.text }));
  const issue = (em: EntityManager, hotel: Hotel, req: HttpRequest) => manageWrite(em, hotel, req, 'issue', publicIssueRequest,
    'Please tell us in a few words what you need.', 'Thank you; the hotel will answer here.', (ctx, id, input) => openIssue(ctx, id, input.text));
  const reply = (em: EntityManager, hotel: Hotel, req: HttpRequest) => manageWrite(em, hotel, req, 'reply', publicIssueReplyRequest,
    'Please write your answer.', 'Your answer was sent to the hotel.', (ctx, id, input) => replyToIssue(ctx, id, input.ticketId, input.text));

  /** Only the published version is ever read: drafts and never-published pages are simply not found. */
  async function publishedPage(em: EntityManager, hotel: Hotel, pageSlug: string): Promise<HttpResponse> {
    const page = await findPublishedPage(em, hotel.slug, pageSlug);
    if (!page) return failure(hotel, 'NOT_FOUND', 'There is no such page.');
    return html(200, layout(page.title, hotel.name, contentPage(page)));
  }

  async function limited(limiter: RateLimiterAbstract, address: string): Promise<HttpResponse | null> {
    try {
      await limiter.consume(address);
      return null;
    } catch (err) {
      if (err instanceof Error) throw err;
      const wait = Math.max(1, Math.ceil(((err as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000));
      return html(429, layout('Slow down', 'Innboard', message('Too many requests from your address; please wait a moment.')), { 'retry-after': String(wait) });
    }
  }

  /** Answers the request when it is a guest-site address; null lets the next handler have it. */
  return async function handle(req: HttpRequest): Promise<HttpResponse | null> {
    const match = (re: RegExp) => re.exec(req.path)?.[1];
    const get = req.method === 'GET' || req.method === 'HEAD';
    const slug = get ? (match(ROUTES.book) ?? match(ROUTES.details) ?? match(ROUTES.manage) ?? match(ROUTES.page)) : req.method === 'POST' ? (match(ROUTES.book) ?? match(ROUTES.cancel) ?? match(ROUTES.review) ?? match(ROUTES.issue) ?? match(ROUTES.reply)) : undefined;
    if (!slug) return null;
    const over = (await limited(deps.readLimiter, req.remoteAddress)) ?? (!get ? await limited(deps.writeLimiter, req.remoteAddress) : null);
    if (over) return over;
    if (req.body.length > MAX_FORM_BYTES) return html(413, layout('Too large', 'Innboard', message('That form is too large.')));
    const em = orm.em.fork();
    const hotel = await hotelBySlug(em, slug);
    if (!hotel) return html(404, layout('Not found', 'Innboard', message('There is no hotel at this address.')));
    try {
      if (!get) return await (match(ROUTES.cancel) ? cancel(em, hotel, req) : match(ROUTES.review) ? review(em, hotel, req) : match(ROUTES.issue) ? issue(em, hotel, req) : match(ROUTES.reply) ? reply(em, hotel, req) : book(hotel, req));
      if (match(ROUTES.details)) return detailsPage(hotel, req);
      if (match(ROUTES.manage)) return await manage(em, hotel, req.query.get('token') ?? '');
      const pageSlug = ROUTES.page.exec(req.path)?.[2];
      if (pageSlug) return await publishedPage(em, hotel, pageSlug);
      return await bookPage(em, hotel, req);
    } catch (err) {
      deps.logger.error({ err: toSafeError(err), path: req.path }, 'guest site request failed');
      return failure(hotel, 'INTERNAL', 'Something went wrong on our side; please try again.');
    }
  };
}

export type GuestSite = ReturnType<typeof createGuestSite>;
