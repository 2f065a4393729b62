import type { EntityManager } from '@mikro-orm/postgresql';

export interface PublishedPage {
  title: string;
  /** Markdown as written in the editor; render it escaped (it is staff input shown to the public). */
  body: string;
  version: number;
  publishedAt: string;
}

/**
 * What `/p/<property-slug>/<page>` shows: the latest published version only. Drafts are never
 * read here, so unpublished edits cannot leak; a page never published answers null.
 */
export async function findPublishedPage(em: EntityManager, propertySlug: string, pageSlug: string): Promise<PublishedPage | null> {
  const [row] = await em.execute<{ title: string; body: string; version: number; published_at: Date }[]>(
    `select v.title, v.body, v.version, v.published_at
       from content_page c join property p on p.id = c.property_id
       join content_page_version v on v.page_id = c.id and v.version = c.published_version
      where p.slug = ? and c.slug = ?`,
    [propertySlug, pageSlug],
  );
  return row ? { title: row.title, body: row.body, version: row.version, publishedAt: new Date(row.published_at).toISOString() } : null;
}
