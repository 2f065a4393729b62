// Rules of content pages: a draft is the shared document `contentPage:<id>`; publishing freezes its
// text as the next numbered version, which the guest site serves until the next publish.
import { LockMode } from '@mikro-orm/core';
import * as Y from 'yjs';
import {
  contentCreated, contentPublished, docName, DOC_TEXT_KEY,
  type ContentPageView, type PayloadOf, type contentCreate, type contentList, type contentPublish,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { ContentPage, ContentPageVersion } from './entities.ts';
import { loadDocumentState } from './document.store.ts';

export function toContentPageView(page: ContentPage): ContentPageView {
  return {
    id: page.id, propertyId: page.property.id, slug: page.slug, title: page.title,
    publishedVersion: page.publishedVersion ?? null, publishedAt: page.publishedAt?.toISOString() ?? null,
  };
}

export async function createContentPage(ctx: CommandContext, payload: PayloadOf<typeof contentCreate>): Promise<ContentPageView> {
  if (await ctx.em.findOne(ContentPage, { property: ctx.propertyId, slug: payload.slug })) throw conflict(`A page at /${payload.slug} already exists`);
  const page = ctx.em.create(ContentPage, { property: ctx.propertyId, slug: payload.slug, title: payload.title });
  await ctx.em.flush();
  const view = toContentPageView(page);
  ctx.recordChange({ type: 'contentPage', id: page.id, after: { slug: view.slug, title: view.title } });
  ctx.emit(contentCreated, view);
  return view;
}

export async function listContentPages(ctx: CommandContext, _payload: PayloadOf<typeof contentList>): Promise<ContentPageView[]> {
  const pages = await ctx.em.find(ContentPage, { property: ctx.propertyId }, { orderBy: { slug: 'asc' } });
  return pages.map(toContentPageView);
}

/** The draft's current text as stored (every acknowledged edit, nothing still in a browser). */
async function draftText(ctx: CommandContext, pageId: string): Promise<string> {
  const state = await loadDocumentState(ctx.em, docName({ kind: 'contentPage', pageId }));
  if (!state) return '';
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    return ydoc.getText(DOC_TEXT_KEY).toString();
  } finally {
    ydoc.destroy();
  }
}

export async function publishContentPage(ctx: CommandContext, payload: PayloadOf<typeof contentPublish>): Promise<ContentPageView> {
  // Locked so two managers publishing at once get consecutive version numbers.
  const page = await ctx.em.findOne(ContentPage, { id: payload.pageId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!page) throw notFound('Page');
  const body = await draftText(ctx, page.id);
  if (!body.trim()) throw invalid('The page is empty; write something before publishing');
  const before = toContentPageView(page);
  const version = (page.publishedVersion ?? 0) + 1;
  if (payload.title) page.title = payload.title;
  page.publishedVersion = version;
  page.publishedAt = ctx.now;
  ctx.em.create(ContentPageVersion, { page, version, title: page.title, body, publishedById: ctx.actor.userId, publishedAt: ctx.now });
  await ctx.em.flush();
  const view = toContentPageView(page);
  ctx.recordChange({ type: 'contentPage', id: page.id, before: { publishedVersion: before.publishedVersion, title: before.title }, after: { publishedVersion: version, title: view.title } });
  ctx.emit(contentPublished, view);
  return view;
}
