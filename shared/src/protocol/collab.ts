import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { hotelDate, id } from './common.ts';
import type { ErrorBody } from './envelope.ts';
import type { Permission } from './permissions.ts';

// Contract of collaborative documents (issue 11): yjs documents synced over the `doc` socket event
// beside `command`/`event`, and content pages whose published versions the guest site serves.

// ---------- documents ----------

/** Every kind of shared document; its name says which property row it belongs to. */
export const DOC_KINDS = ['shiftLog', 'roomNotes', 'reservationNotes', 'contentPage'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/**
 * Document names: `shiftLog:<propertyId>:<YYYY-MM-DD>` (hand-over log of one business date),
 * `roomNotes:<roomId>`, `reservationNotes:<reservationId>`, `contentPage:<pageId>`.
 */
export type DocRef =
  | { kind: 'shiftLog'; propertyId: string; date: string }
  | { kind: 'roomNotes'; roomId: string }
  | { kind: 'reservationNotes'; reservationId: string }
  | { kind: 'contentPage'; pageId: string };

export function docName(ref: DocRef): string {
  switch (ref.kind) {
    case 'shiftLog': return `shiftLog:${ref.propertyId}:${ref.date}`;
    case 'roomNotes': return `roomNotes:${ref.roomId}`;
    case 'reservationNotes': return `reservationNotes:${ref.reservationId}`;
    case 'contentPage': return `contentPage:${ref.pageId}`;
    default: { const never: never = ref; throw new Error(`unknown document ${String(never)}`); }
  }
}

export function parseDocName(name: string): DocRef | null {
  const [kind, first, date, ...rest] = name.split(':');
  if (rest.length || !id.safeParse(first).success) return null;
  switch (kind) {
    case 'shiftLog': return hotelDate.safeParse(date).success ? { kind, propertyId: first!, date: date! } : null;
    case 'roomNotes': return date === undefined ? { kind, roomId: first! } : null;
    case 'reservationNotes': return date === undefined ? { kind, reservationId: first! } : null;
    case 'contentPage': return date === undefined ? { kind, pageId: first! } : null;
    default: return null;
  }
}

/** What a member needs to open (receive updates of) and to edit each kind of document. */
export const DOC_PERMISSIONS: Record<DocKind, { read: Permission; write: Permission }> = {
  shiftLog: { read: 'property.read', write: 'note.write' },
  roomNotes: { read: 'property.read', write: 'note.write' },
  reservationNotes: { read: 'reservation.read', write: 'note.write' },
  contentPage: { read: 'property.read', write: 'content.manage' },
};

/** Every document holds one Y.Text under this key (the editors bind to it; publishing reads it). */
export const DOC_TEXT_KEY = 'body';

/**
 * The `doc` socket event. Frames carry y-protocols messages as binary:
 * - `sync`: a y-protocols sync message (step 1 = state vector, step 2 / update = yjs update).
 *   Step 1 joins the document: the ack's `reply` is the server's step 2 (what the client lacks) and
 *   `serverStep1` its state vector (the client answers with its own step 2, so offline edits reach it).
 *   Step 2 and update frames are acknowledged only once stored in PostgreSQL.
 * - `awareness`: a y-protocols awareness update (presence: name, colour, cursor), relayed, not stored.
 * - `leave`: stop receiving the document.
 * The server sends `doc` frames `{ doc, type: 'sync' | 'awareness', data }` with other editors'
 * changes, and `{ doc, type: 'awarenessQuery' }` when someone joined (answer with your awareness).
 */
export const DOC_EVENT = 'doc';
export const docFrameSchema = z.object({
  doc: z.string().min(1).max(200),
  type: z.enum(['sync', 'awareness', 'leave']),
  data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'binary data').optional(),
});
export type DocFrame = z.infer<typeof docFrameSchema>;

export interface DocJoinResult {
  reply: Uint8Array;
  serverStep1: Uint8Array;
  /** True when the user may read but not edit: their updates are refused with FORBIDDEN. */
  readOnly: boolean;
}
export type DocAck = { ok: true; result?: DocJoinResult } | { ok: false; error: ErrorBody };

export interface DocBroadcast {
  doc: string;
  type: 'sync' | 'awareness' | 'awarenessQuery';
  data?: Uint8Array;
}

// ---------- content pages ----------

/** Lower-case words joined by hyphens: the `<page>` of `/p/<property-slug>/<page>`. */
export const slug = z.string().min(1).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');
const title = z.string().trim().min(1).max(200);

export const contentPageView = z.object({
  id,
  propertyId: id,
  slug,
  title,
  /** Latest published version number; null while the page is a draft only. */
  publishedVersion: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
});
export type ContentPageView = z.infer<typeof contentPageView>;

/** Snapshot part: the property's content pages and its guest-site slug (null: no public site). */
export type ContentSnapshot = { content: { propertySlug: string | null; pages: ContentPageView[] } };

export const contentCreate = defineCommand('content.create', {
  permission: 'content.manage',
  description: 'Create a content page (a draft edited collaboratively as document contentPage:<id>).',
  payload: z.object({ propertyId: id, slug, title }),
});

export const contentList = defineCommand('content.list', {
  permission: 'property.read',
  description: 'The property\'s content pages with their published version. Emits no event.',
  payload: z.object({ propertyId: id }),
});

export const contentPublish = defineCommand('content.publish', {
  permission: 'content.manage',
  description: 'Publish the current draft as the next immutable version; the guest site serves the latest published version.',
  payload: z.object({ pageId: id, title: title.optional() }),
});

export const contentCommands = [contentCreate, contentList, contentPublish] as const;

export const contentCreated = defineEvent('content.created', {
  description: 'A content page was created.',
  payload: contentPageView,
});

export const contentPublished = defineEvent('content.published', {
  description: 'A content page version was published.',
  payload: contentPageView,
});

export const contentEvents = [contentCreated, contentPublished] as const;
