import type { EntityManager } from '@mikro-orm/postgresql';
import * as Y from 'yjs';
import type { DocKind } from '@innboard/shared';

/** Pending updates folded into the snapshot once a document has this many. */
export const COMPACT_AFTER_UPDATES = 100;

/** The document's whole state as one yjs update (snapshot + every acknowledged update); null when never written. */
export async function loadDocumentState(em: EntityManager, name: string): Promise<Uint8Array | null> {
  // One statement, so a compaction committing in between cannot hide updates (snapshot and rows are read at one instant).
  const [row] = await em.execute<{ snapshot: Buffer | null; updates: Buffer[] }[]>(
    'select d.snapshot, array(select u.data from collab_update u where u.document_id = d.id order by u.id) as updates from collab_document d where d.name = ?',
    [name],
  );
  if (!row) return null;
  const parts = [...(row.snapshot ? [row.snapshot] : []), ...row.updates].map((b) => new Uint8Array(b));
  return parts.length ? Y.mergeUpdates(parts) : null;
}

export interface AppendUpdate {
  name: string;
  propertyId: string;
  kind: DocKind;
  update: Uint8Array;
  userId: string;
  maxDocumentBytes: number;
}

/**
 * Appends an update in one transaction (counted against the document's size under its row lock);
 * the caller acknowledges only after this resolves, so an acknowledged update survives kill -9.
 */
export async function appendUpdate(em: EntityManager, input: AppendUpdate): Promise<{ stored: true; pendingUpdates: number } | { stored: false }> {
  return em.transactional(async (tx) => {
    const [doc] = await tx.execute<{ id: string; pending_updates: number }[]>(
      `insert into collab_document (id, name, property_id, kind, size_bytes, pending_updates, created_at, updated_at)
       values (gen_random_uuid(), ?, ?, ?, ?, 1, now(), now())
       on conflict (name) do update set size_bytes = collab_document.size_bytes + excluded.size_bytes,
         pending_updates = collab_document.pending_updates + 1, updated_at = now()
         where collab_document.size_bytes + excluded.size_bytes <= ?
       returning id, pending_updates`,
      [input.name, input.propertyId, input.kind, input.update.byteLength, input.maxDocumentBytes],
    );
    if (!doc) return { stored: false };
    await tx.execute('insert into collab_update (document_id, data, user_id, at) values (?, ?, ?, now())', [doc.id, Buffer.from(input.update), input.userId]);
    return { stored: true, pendingUpdates: doc.pending_updates };
  });
}

/**
 * Folds pending updates into the snapshot through a Y.Doc (which drops deleted content), under the
 * document's row lock so no append interleaves; the folded update rows are deleted in the same transaction.
 */
export async function compactDocument(em: EntityManager, name: string): Promise<void> {
  await em.transactional(async (tx) => {
    const [doc] = await tx.execute<{ id: string; snapshot: Buffer | null }[]>('select id, snapshot from collab_document where name = ? for update', [name]);
    if (!doc) return;
    const updates = await tx.execute<{ data: Buffer }[]>('select data from collab_update where document_id = ? order by id', [doc.id]);
    if (updates.length === 0) return;
    const ydoc = new Y.Doc();
    Y.transact(ydoc, () => {
      if (doc.snapshot) Y.applyUpdate(ydoc, new Uint8Array(doc.snapshot));
      for (const u of updates) Y.applyUpdate(ydoc, new Uint8Array(u.data));
    });
    const snapshot = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    await tx.execute('delete from collab_update where document_id = ?', [doc.id]);
    await tx.execute('update collab_document set snapshot = ?, size_bytes = ?, pending_updates = 0, updated_at = now() where id = ?', [Buffer.from(snapshot), snapshot.byteLength, doc.id]);
  });
}
