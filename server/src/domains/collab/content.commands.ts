import type { EntityManager } from '@mikro-orm/postgresql';
import { contentCreate, contentList, contentPublish, type ContentSnapshot } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { Property } from '../property/entities.ts';
import { ContentPage } from './entities.ts';
import { createContentPage, listContentPages, publishContentPage, toContentPageView } from './content.service.ts';

export const contentHandlers = [
  defineHandler(contentCreate, { scope: byPropertyId, handle: createContentPage }),
  defineHandler(contentList, { scope: byPropertyId, handle: listContentPages }),
  defineHandler(contentPublish, { scope: byEntity('content_page', 'pageId'), handle: publishContentPage }),
];

/** The board's part: every page with its published version, and the slug of the public addresses. */
export async function contentSnapshot(em: EntityManager, propertyId: string): Promise<ContentSnapshot> {
  const property = await em.findOneOrFail(Property, propertyId);
  const pages = await em.find(ContentPage, { property: propertyId }, { orderBy: { slug: 'asc' } });
  return { content: { propertySlug: property.slug ?? null, pages: pages.map(toContentPageView) } };
}
