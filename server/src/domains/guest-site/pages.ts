import { randomUUID } from 'node:crypto';
import type { AvailabilityResult, PublicStayQuery, ReviewSummary, ReviewView } from '@innboard/shared';
import type { CalendarRow, ManagedBooking, PlacedBooking, RoomOffer } from './booking.service.ts';

// The public site's HTML, rendered on the server: plain forms that work without JavaScript, and
// every value from the database or the guest escaped on the way out.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
const money = (minor: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);
const hidden = (fields: Record<string, string | number | undefined>) =>
  Object.entries(fields).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f6f5f2;color:#1d2330}
header{background:#1d3557;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
main{max-width:960px;margin:0 auto;padding:20px}section{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 6px;text-align:center}td.none{background:#fbe3e3;color:#a33}
label{display:inline-block;margin:4px 12px 4px 0}input{padding:4px}button{background:#1d3557;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
.room{display:flex;gap:16px;border-top:1px solid #eee;padding:12px 0}.photo{width:160px;height:100px;border-radius:6px;flex:none}
.amenities{color:#555;font-size:13px}.error{background:#fbe3e3;color:#7a1d1d;padding:8px;border-radius:4px}.ok{background:#e3f4e6;padding:8px;border-radius:4px}
.mine{background:#eef1f7;padding:8px;border-radius:4px;margin-left:24px}`;

export function layout(title: string, hotelName: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ${esc(hotelName)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(hotelName)}</h1></header><main>${body}</main></body></html>`;
}

/** A drawn picture per room type (the product has no photo store yet): a hue from the type's id. */
function photo(roomTypeId: string, name: string): string {
  const hue = parseInt(roomTypeId.slice(0, 6), 16) % 360;
  return `<svg class="photo" viewBox="0 0 160 100" role="img" aria-label="${esc(name)}"><rect width="160" height="100" fill="hsl(${hue} 45% 80%)"/>
<rect x="20" y="55" width="80" height="25" rx="4" fill="hsl(${hue} 40% 55%)"/><rect x="20" y="45" width="25" height="15" rx="3" fill="#fff"/>
<rect x="115" y="15" width="30" height="40" fill="#cfe8ff" stroke="#fff" stroke-width="3"/></svg>`;
}

export function searchForm(slug: string, q: Partial<PublicStayQuery>): string {
  return `<section><form method="get" action="/book/${esc(slug)}" data-testid="search">
<label>Arrival <input type="date" name="arrival" value="${esc(q.arrival)}" required></label>
<label>Departure <input type="date" name="departure" value="${esc(q.departure)}" required></label>
<label>Adults <input type="number" name="adults" min="1" max="10" value="${esc(q.adults ?? 2)}"></label>
<label>Promo code <input name="promo" maxlength="40" value="${esc(q.promo)}"></label>
<button type="submit">Check availability</button></form></section>`;
}

export function calendarTable(cal: { days: string[]; rows: CalendarRow[] }): string {
  const head = cal.days.map((d) => `<th>${esc(d.slice(5))}</th>`).join('');
  const rows = cal.rows.map((r) => `<tr><th>${esc(r.name)}</th>${r.free.map((n) => `<td class="${n ? '' : 'none'}">${n}</td>`).join('')}</tr>`).join('');
  return `<section><h2>Availability</h2><p>Rooms left per night.</p><table data-testid="calendar"><tr><th></th>${head}</tr>${rows}</table></section>`;
}

export function offersSection(slug: string, q: PublicStayQuery, offers: RoomOffer[], promo: AvailabilityResult['offer'], nights: number): string {
  const promoNote = promo ? `<p class="${promo.valid ? 'ok' : 'error'}">Promo code ${esc(promo.code)}: ${promo.valid ? 'applied' : esc(promo.reason)}</p>` : '';
  const rooms = offers.map((o) => {
    const quotes = o.available > 0 && o.quotes.length
      ? o.quotes.map((quote) => `<form method="get" action="/book/${esc(slug)}/details">${hidden({ roomTypeId: o.roomTypeId, ratePlanId: quote.ratePlanId, arrival: q.arrival, departure: q.departure, adults: q.adults, children: q.children, promo: quote.offerCode ?? undefined })}
<p><strong>${esc(quote.name)}</strong>: ${money(quote.total, quote.currency)} for ${nights} night${nights === 1 ? '' : 's'}${quote.discount ? ` <em>(${money(quote.discount, quote.currency)} off)</em>` : ''}
· ${quote.refundable ? `free cancellation until ${quote.cancellationPolicy.freeUntilDaysBefore} days before arrival` : 'non-refundable'}
<button type="submit" data-testid="choose">Book</button></p></form>`).join('')
      : '<p class="error">Sold out for these dates</p>';
    return `<div class="room" data-testid="room-type">${photo(o.roomTypeId, o.name)}<div><h3>${esc(o.name)}</h3><p>${esc(o.description)}</p>
<p class="amenities">Sleeps ${o.maxAdults} · ${o.amenities.map(esc).join(' · ')}</p><p>${o.available} left</p>${quotes}</div></div>`;
  }).join('');
  return `<section><h2>Rooms for ${esc(q.arrival)} – ${esc(q.departure)}</h2>${promoNote}${rooms || '<p>No room fits this party.</p>'}</section>`;
}

export function detailsForm(slug: string, fields: Record<string, string | number | undefined>, summary: string, error?: string): string {
  return `<section><h2>Your details</h2><p>${esc(summary)}</p>${error ? `<p class="error" data-testid="error">${esc(error)}</p>` : ''}
<form method="post" action="/book/${esc(slug)}" data-testid="details">${hidden({ ...fields, requestId: randomUUID() })}
<label>First name <input name="firstName" required maxlength="100"></label><label>Last name <input name="lastName" required maxlength="100"></label><br>
<label>Email <input type="email" name="email" required maxlength="254"></label><label>Phone <input name="phone" maxlength="30"></label><br>
<p>A deposit of the first night is due; the hotel will contact you to collect it.</p><button type="submit" data-testid="confirm">Confirm booking</button></form></section>`;
}

export function confirmation(placed: PlacedBooking, manageUrl: string): string {
  return `<section data-testid="confirmation"><h2>Your booking is confirmed</h2>
<p>Total ${money(placed.total, placed.currency)}${placed.deposit ? ` · deposit ${money(placed.deposit, placed.currency)} pending payment` : ''}</p>
<p>Keep this link to view or cancel your booking: <a href="${esc(manageUrl)}" data-testid="manage-link">manage your booking</a></p></section>`;
}

const DEPOSIT_LABEL = { pending: 'to be paid', received: 'paid', void: 'cancelled' } as const;

export function managePage(slug: string, token: string, b: ManagedBooking, notice?: { ok: boolean; text: string }): string {
  const active = b.status === 'confirmed' || b.status === 'tentative';
  const cancel = !active ? '' : b.feeIfCancelledNow === 0
    ? `<form method="post" action="/book/${esc(slug)}/manage/cancel">${hidden({ token, requestId: randomUUID() })}<button type="submit" data-testid="cancel">Cancel booking free of charge</button></form>`
    : `<p>Free cancellation has ended (${money(b.feeIfCancelledNow, b.currency)} would be charged); please contact the hotel.</p>`;
  const review = b.review
    ? `<section data-testid="my-review"><h3>Your review</h3>${reviewItem(b.review)}</section>`
    : b.status === 'checked_out'
      ? `<section><h3>How was your stay?</h3><form method="post" action="/book/${esc(slug)}/manage/review" data-testid="review-form">${hidden({ token, requestId: randomUUID() })}
<label>Rating <select name="rating">${[5, 4, 3, 2, 1].map((n) => `<option value="${n}">${'★'.repeat(n)}</option>`).join('')}</select></label><br>
<label>Your review <textarea name="text" required maxlength="2000" rows="4" cols="60"></textarea></label><br><button type="submit">Post review</button></form></section>`
      : '';
  const issues = `<section data-testid="issues"><h3>Need help?</h3>${b.issues.map((i) => issueThread(slug, token, i)).join('')}
<form method="post" action="/book/${esc(slug)}/manage/issue" data-testid="issue-form">${hidden({ token, requestId: randomUUID() })}
<label>Tell us what you need <textarea name="text" required minlength="5" maxlength="2000" rows="3" cols="60"></textarea></label><br><button type="submit">Send to the hotel</button></form></section>`;
  return `${notice ? `<p class="${notice.ok ? 'ok' : 'error'}" data-testid="notice">${esc(notice.text)}</p>` : ''}
<section data-testid="booking"><h2>Booking for ${esc(b.guestName)}</h2><p data-testid="status">Status: ${esc(b.status.replace('_', ' '))}</p>
<p>${esc(b.roomTypeName)} · ${esc(b.arrival)} – ${esc(b.departure)} · ${b.adults} adult${b.adults === 1 ? '' : 's'}${b.children ? `, ${b.children} children` : ''}</p>
<p>Total ${money(b.total, b.currency)}${b.depositStatus ? ` · deposit ${money(b.deposit, b.currency)} (<span data-testid="deposit-status">${DEPOSIT_LABEL[b.depositStatus]}</span>)` : ''}</p>${cancel}</section>${review}${issues}`;
}

/** One support issue: its conversation with the hotel and, until it is closed, a form to answer. */
function issueThread(slug: string, token: string, i: ManagedBooking['issues'][number]): string {
  const messages = i.messages.map((m) => m.from === 'hotel'
    ? `<p class="ok" data-testid="issue-answer">The hotel: ${esc(m.body)}</p>`
    : `<p class="mine" data-testid="issue-reply">You: ${esc(m.body)}</p>`).join('');
  const form = i.status === 'closed' ? '' : `<form method="post" action="/book/${esc(slug)}/manage/reply" data-testid="reply-form">${hidden({ token, requestId: randomUUID(), ticketId: i.ticketId })}
<label>Your answer <textarea name="text" required maxlength="2000" rows="2" cols="60"></textarea></label> <button type="submit">Reply</button></form>`;
  return `<div class="issue" data-testid="issue"><p><strong>${esc(i.status.replace('_', ' '))}</strong>: ${esc(i.description)}</p>${messages}${form}</div>`;
}

function reviewItem(r: ReviewView): string {
  return `<div class="review" data-testid="review"><p><strong>${'★'.repeat(r.rating)}</strong> ${esc(r.author)}</p><p>${esc(r.text)}</p>
${r.response ? `<p class="amenities" data-testid="review-response">The hotel replied: ${esc(r.response)}</p>` : ''}</div>`;
}

export function reviewsSection(summary: ReviewSummary, reviews: ReviewView[]): string {
  if (summary.count === 0) return '';
  return `<section data-testid="reviews"><h2>Guest reviews · <span data-testid="average">${summary.average?.toFixed(1)}</span> / 5 from ${summary.count} review${summary.count === 1 ? '' : 's'}</h2>
${reviews.map(reviewItem).join('')}</section>`;
}

/** A published content page: its Markdown's headings and paragraphs as text (no HTML from the editor reaches the page). */
export function contentPage(page: { title: string; body: string; version: number; publishedAt: string }): string {
  const blocks = page.body.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean).map((b) => {
    const heading = /^(#{1,3})\s+(.*)$/.exec(b);
    return heading ? `<h${heading[1]!.length + 1}>${esc(heading[2])}</h${heading[1]!.length + 1}>` : `<p>${esc(b).replace(/\n/g, '<br>')}</p>`;
  });
  return `<article data-testid="content-page"><section><h2>${esc(page.title)}</h2>${blocks.join('')}</section></article>`;
}

export function message(text: string): string {
  return `<section><p class="error" data-testid="error">${esc(text)}</p></section>`;
}
