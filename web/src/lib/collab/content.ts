import type { ContentPageView, ContentSnapshot, EventEnvelope, EventPayloadOf, PropertySnapshotBase, contentEvents } from '@innboard/shared';

export type ContentEventSpec = (typeof contentEvents)[number];
type ContentEvent = { [S in ContentEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[ContentEventSpec['type']];

/** The property's guest-site pages as the board knows them (drafts live in their shared documents). */
export interface ContentModel {
  /** `<property-slug>` of `/p/<property-slug>/<page>`; null when the property has no public site. */
  propertySlug: string | null;
  pages: Readonly<Record<string, ContentPageView>>;
}

export function contentFromSnapshot(snapshot: PropertySnapshotBase): ContentModel {
  // Optional: a server without the part still gives a working board (no pages).
  const part = (snapshot as PropertySnapshotBase & Partial<ContentSnapshot>).content;
  return { propertySlug: part?.propertySlug ?? null, pages: Object.fromEntries((part?.pages ?? []).map((p) => [p.id, p])) };
}

export function applyContentEvent(model: ContentModel, event: ContentEvent): ContentModel {
  switch (event.type) {
    case 'content.created':
    case 'content.published':
      return { ...model, pages: { ...model.pages, [event.payload.id]: event.payload } };
    default: {
      const never: never = event;
      return never;
    }
  }
}

const bySlug = new Intl.Collator(undefined, { numeric: true });

export function sortedPages(model: ContentModel): ContentPageView[] {
  return Object.values(model.pages).sort((a, b) => bySlug.compare(a.slug, b.slug));
}

/** The public address of a page, or null while it has none (no property slug). */
export function publicPath(model: ContentModel, page: Pick<ContentPageView, 'slug'>): string | null {
  return model.propertySlug ? `/p/${model.propertySlug}/${page.slug}` : null;
}

/** A slug suggested from a title: "Spa & Sauna!" -> "spa-sauna". */
export function slugFromTitle(title: string): string {
  return title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}
