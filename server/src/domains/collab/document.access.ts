import type { EntityManager } from '@mikro-orm/postgresql';
import { DOC_PERMISSIONS, parseDocName, type DocKind, type ErrorBody } from '@innboard/shared';
import { can, type Access } from '../../identity/authorize.ts';

export interface ResolvedDoc {
  name: string;
  kind: DocKind;
  propertyId: string;
}

/** The row a document hangs off, whose property scopes it; none means the document does not exist. */
const OWNER_QUERY: Record<DocKind, string> = {
  shiftLog: 'select id as property_id from property where id = ?',
  roomNotes: 'select property_id from room where id = ?',
  reservationNotes: 'select property_id from reservation where id = ?',
  contentPage: 'select property_id from content_page where id = ?',
};

export async function resolveDoc(em: EntityManager, name: string): Promise<ResolvedDoc | null> {
  const ref = parseDocName(name);
  if (!ref) return null;
  const ownerId = ref.kind === 'shiftLog' ? ref.propertyId : ref.kind === 'roomNotes' ? ref.roomId : ref.kind === 'reservationNotes' ? ref.reservationId : ref.pageId;
  const [row] = await em.execute<{ property_id: string }[]>(OWNER_QUERY[ref.kind], [ownerId]);
  return row ? { name, kind: ref.kind, propertyId: row.property_id } : null;
}

/**
 * Read/write standing of a user on a document. Not a member of its property reads as NOT_FOUND
 * (the same answer as a document that does not exist: no existence leak).
 */
export function docStanding(doc: ResolvedDoc, access: Access | null): { error: ErrorBody } | { canWrite: boolean } {
  if (!access || !access.active) return { error: notFound };
  if (!can(access, DOC_PERMISSIONS[doc.kind].read)) return { error: { code: 'FORBIDDEN', message: 'Your role cannot open this document' } };
  return { canWrite: can(access, DOC_PERMISSIONS[doc.kind].write) };
}

export const notFound: ErrorBody = { code: 'NOT_FOUND', message: 'No such document' };
