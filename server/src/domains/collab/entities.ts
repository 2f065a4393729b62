import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { DOC_KINDS } from '@innboard/shared';
import { Property } from '../property/entities.ts';

/**
 * One yjs document: a compacted snapshot plus the updates appended since (collab_update).
 * `sizeBytes` (snapshot + pending updates) is what the per-document limit guards.
 */
const CollabDocumentSchema = defineEntity({
  name: 'CollabDocument',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    /** The document name of the contract, e.g. `shiftLog:<propertyId>:<date>`. */
    name: p.string().length(200).unique(),
    propertyId: p.uuid().index(),
    kind: p.enum(DOC_KINDS),
    snapshot: p.blob().nullable(),
    sizeBytes: p.integer().default(0),
    pendingUpdates: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class CollabDocument extends CollabDocumentSchema.class {}
CollabDocumentSchema.setClass(CollabDocument);

/** An acknowledged yjs update not yet folded into its document's snapshot. */
const CollabUpdateSchema = defineEntity({
  name: 'CollabUpdate',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    documentId: p.uuid().index(),
    data: p.blob(),
    userId: p.uuid(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export class CollabUpdate extends CollabUpdateSchema.class {}
CollabUpdateSchema.setClass(CollabUpdate);

/** A page of the guest site; its draft is the document `contentPage:<id>`. */
const ContentPageSchema = defineEntity({
  name: 'ContentPage',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    slug: p.string().length(60),
    title: p.string().length(200),
    publishedVersion: p.integer().nullable(),
    publishedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
  uniques: [{ properties: ['property', 'slug'] }],
});
export class ContentPage extends ContentPageSchema.class {}
ContentPageSchema.setClass(ContentPage);

/** A published version: written once, never updated (re-publishing adds the next version). */
const ContentPageVersionSchema = defineEntity({
  name: 'ContentPageVersion',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    page: () => p.manyToOne(ContentPage),
    version: p.integer(),
    title: p.string().length(200),
    /** The draft's text (Markdown) at publishing time. */
    body: p.text(),
    publishedById: p.uuid(),
    publishedAt: p.datetime(),
  },
  uniques: [{ properties: ['page', 'version'] }],
});
export class ContentPageVersion extends ContentPageVersionSchema.class {}
ContentPageVersionSchema.setClass(ContentPageVersion);

export const collabEntities = [CollabDocument, CollabUpdate, ContentPage, ContentPageVersion];
