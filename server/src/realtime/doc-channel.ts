import type { MikroORM } from '@mikro-orm/postgresql';
import type { Server, Socket } from 'socket.io';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { DOC_EVENT, docFrameSchema, type DocAck, type DocBroadcast, type ErrorBody } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import type { loadAccess } from '../identity/authorize.ts';
import { docStanding, notFound, resolveDoc, type ResolvedDoc } from '../domains/collab/document.access.ts';
import { appendUpdate, COMPACT_AFTER_UPDATES, compactDocument, loadDocumentState } from '../domains/collab/document.store.ts';
import { toErrorBody } from '../pipeline/db-errors.ts';
import { toSafeError } from '../pipeline/safe-error.ts';
import { logFailure, socketUser } from './gateway.ts';

export type DocChannel = ReturnType<typeof createDocChannel>;

export const docRoom = (name: string) => `doc:${name}`;

export interface DocChannelDeps {
  orm: MikroORM;
  logger: Logger;
  loadAccess: typeof loadAccess;
  maxUpdateBytes: number;
  maxDocumentBytes: number;
  /** Several nodes share the rooms (Redis adapter): permission changes are passed to the other nodes. */
  clustered: boolean;
}

/** Node-to-node event: a user's standing in a property changed; each node re-checks that user's open documents. */
const DOC_ACCESS_CHANGED = 'collab:accessChanged';

interface OpenDoc {
  doc: ResolvedDoc;
  /** Awareness client ids this socket announced, with their last clock (to retract them when it goes). */
  presence: Map<number, number>;
}

const fail = (code: ErrorBody['code'], message: string): DocAck => ({ ok: false, error: { code, message } });

/**
 * The `doc` channel of the contract: y-protocols sync and awareness messages over the command
 * socket. The server keeps no document in memory: PostgreSQL is the source of truth (a join reads
 * snapshot + updates, an update is acknowledged once stored), and fan-out goes through Socket.IO
 * rooms, i.e. through the Redis adapter to every node.
 */
export function createDocChannel(io: Server, deps: DocChannelDeps) {
  const { orm, logger } = deps;
  /** This node's sockets with their open documents, by user: whom to re-check when a permission changes. */
  const editors = new Map<string, Set<Editor>>();

  /**
   * A document room is not the property room: a member removed from the property (or whose new role may
   * not read the document) would go on hearing every edit of a document they had open. Re-checked here for
   * this node's sockets, on the same rule as a join.
   */
  async function recheck(userId: string, propertyId: string): Promise<void> {
    const sockets = editors.get(userId);
    if (!sockets) return;
    const access = await deps.loadAccess(orm.em.fork(), userId, propertyId);
    const closing: Promise<void>[] = [];
    for (const editor of sockets) {
      for (const [name, { doc }] of editor.open) {
        if (doc.propertyId === propertyId && 'error' in docStanding(doc, access)) closing.push(editor.close(name));
      }
    }
    await Promise.all(closing);
  }
  const recheckLogged = (userId: string, propertyId: string) =>
    recheck(userId, propertyId).catch((err: unknown) => logFailure(logger, err, 'document access re-check failed'));
  if (deps.clustered) io.on(DOC_ACCESS_CHANGED, (userId: string, propertyId: string) => void recheckLogged(userId, propertyId));

  /** One socket's open documents and the frames it sends about them. */
  class Editor {
    readonly open = new Map<string, OpenDoc>();
    private readonly socket: Socket;
    private readonly userId: string;

    constructor(socket: Socket, userId: string) {
      this.socket = socket;
      this.userId = userId;
    }

    async close(name: string) {
      this.retractPresence(name);
      await this.socket.leave(docRoom(name));
    }

    async handle(raw: unknown): Promise<DocAck> {
      const frame = docFrameSchema.safeParse(raw);
      if (!frame.success) return { ok: false, error: { code: 'VALIDATION', message: 'doc expects { doc, type: sync | awareness | leave, data? }', details: frame.error.issues } };
      const { doc: name, type, data } = frame.data;
      if (type === 'leave') {
        this.retractPresence(name);
        await this.socket.leave(docRoom(name));
        return { ok: true };
      }
      if (!data) return fail('VALIDATION', `A ${type} frame needs data`);
      if (data.byteLength > deps.maxUpdateBytes) return fail('TOO_LARGE', `This change is too large (${data.byteLength} bytes; at most ${deps.maxUpdateBytes} per update). Split it into smaller edits.`);
      if (type === 'awareness') return this.relayAwareness(name, data);
      let messageType: number;
      let payload: Uint8Array;
      try {
        const decoder = decoding.createDecoder(data);
        messageType = decoding.readVarUint(decoder);
        payload = decoding.readVarUint8Array(decoder);
      } catch {
        return fail('VALIDATION', 'Not a y-protocols sync message');
      }
      if (messageType === syncProtocol.messageYjsSyncStep1) return this.join(name, payload);
      if (messageType === syncProtocol.messageYjsSyncStep2 || messageType === syncProtocol.messageYjsUpdate) return this.storeUpdate(name, payload);
      return fail('VALIDATION', `Unknown sync message type ${messageType}`);
    }

    private async join(name: string, clientStateVector: Uint8Array): Promise<DocAck> {
      const em = orm.em.fork();
      const doc = await resolveDoc(em, name);
      if (!doc) return { ok: false, error: notFound };
      const standing = docStanding(doc, await deps.loadAccess(em, this.userId, doc.propertyId));
      if ('error' in standing) return { ok: false, error: standing.error };
      // Join before reading, so an update committed while we read still reaches this socket (yjs ignores duplicates).
      await this.socket.join(docRoom(name));
      if (!this.open.has(name)) this.open.set(name, { doc, presence: new Map() });
      // Checked again now that the document is registered: a membership change committed after the first check
      // and before registration found nothing to close here (recheck), and would leave this socket hearing edits.
      // One committed after this read finds the document registered and closes it.
      if ('error' in docStanding(doc, await deps.loadAccess(orm.em.fork(), this.userId, doc.propertyId))) {
        await this.close(name);
        return { ok: false, error: notFound };
      }
      const state = await loadDocumentState(em, name);
      const ydoc = new Y.Doc();
      try {
        if (state) Y.applyUpdate(ydoc, state);
        const step2 = encoding.createEncoder();
        try {
          syncProtocol.writeSyncStep2(step2, ydoc, clientStateVector);
        } catch {
          return fail('VALIDATION', 'Not a yjs state vector');
        }
        const step1 = encoding.createEncoder();
        syncProtocol.writeSyncStep1(step1, ydoc);
        this.socket.to(docRoom(name)).emit(DOC_EVENT, { doc: name, type: 'awarenessQuery' } satisfies DocBroadcast);
        return { ok: true, result: { reply: encoding.toUint8Array(step2), serverStep1: encoding.toUint8Array(step1), readOnly: !standing.canWrite } };
      } finally {
        ydoc.destroy();
      }
    }

    private async storeUpdate(name: string, update: Uint8Array): Promise<DocAck> {
      const current = this.open.get(name);
      if (!current) return fail('VALIDATION', 'Open the document (sync step 1) before sending changes');
      let decoded: ReturnType<typeof Y.decodeUpdate>;
      try {
        decoded = Y.decodeUpdate(update);
      } catch {
        return fail('VALIDATION', 'Not a yjs update');
      }
      // A client with nothing new answers step 1 with an empty update: nothing to store or refuse.
      if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return { ok: true };
      const em = orm.em.fork();
      const standing = docStanding(current.doc, await deps.loadAccess(em, this.userId, current.doc.propertyId));
      if ('error' in standing) return { ok: false, error: standing.error };
      if (!standing.canWrite) return fail('FORBIDDEN', 'Your role can read this document but not edit it');
      const stored = await appendUpdate(em, { name, propertyId: current.doc.propertyId, kind: current.doc.kind, update, userId: this.userId, maxDocumentBytes: deps.maxDocumentBytes });
      if (!stored.stored) return fail('TOO_LARGE', `This document is full (at most ${deps.maxDocumentBytes} bytes); the change was not saved. Start a new note or shorten this one.`);
      const frame = encoding.createEncoder();
      syncProtocol.writeUpdate(frame, update);
      this.socket.to(docRoom(name)).emit(DOC_EVENT, { doc: name, type: 'sync', data: encoding.toUint8Array(frame) } satisfies DocBroadcast);
      if (stored.pendingUpdates >= COMPACT_AFTER_UPDATES) {
        void compactDocument(orm.em.fork(), name).catch((err: unknown) => logger.warn({ err: toSafeError(err) }, 'document compaction failed; retried after the next updates'));
      }
      return { ok: true };
    }

    private relayAwareness(name: string, data: Uint8Array): DocAck {
      const current = this.open.get(name);
      if (!current) return fail('VALIDATION', 'Open the document (sync step 1) before sending presence');
      try {
        for (const [clientId, clock, gone] of readAwarenessEntries(data)) {
          if (gone) current.presence.delete(clientId);
          else current.presence.set(clientId, clock);
        }
      } catch {
        return fail('VALIDATION', 'Not a y-protocols awareness update');
      }
      this.socket.to(docRoom(name)).emit(DOC_EVENT, { doc: name, type: 'awareness', data } satisfies DocBroadcast);
      return { ok: true };
    }

    /** Tells the other editors this socket's cursors are gone (a closed tab never says so itself). */
    retractPresence(name: string) {
      const current = this.open.get(name);
      this.open.delete(name);
      if (!current || current.presence.size === 0) return;
      io.to(docRoom(name)).except(this.socket.id).emit(DOC_EVENT, { doc: name, type: 'awareness', data: encodeAwarenessRemoval(current.presence) } satisfies DocBroadcast);
    }
  }

  /** Open documents by socket, made on a socket's first doc frame: most boards never open one. */
  const editorBySocket = new WeakMap<Socket, Editor>();

  /** The `doc` listener of every socket (Socket.IO calls it with the socket as `this`: no closure per board). */
  function onFrame(this: Socket, raw: unknown, ack?: (a: DocAck) => void) {
    const reply = typeof ack === 'function' ? ack : () => {};
    editorOf(this).handle(raw).then(reply, (err: unknown) => {
      const body = toErrorBody(err);
      logFailure(logger, err, 'doc frame failed');
      reply({ ok: false, error: body === 'DUPLICATE_COMMAND' ? { code: 'INTERNAL', message: 'Something went wrong' } : body });
    });
  }

  function editorOf(socket: Socket): Editor {
    const known = editorBySocket.get(socket);
    if (known) return known;
    const userId = socketUser(socket);
    const made = new Editor(socket, userId);
    editorBySocket.set(socket, made);
    const mine = editors.get(userId) ?? new Set();
    editors.set(userId, mine.add(made));
    socket.on('disconnect', () => {
      for (const name of made.open.keys()) made.retractPresence(name);
      mine.delete(made);
      if (mine.size === 0) editors.delete(userId);
    });
    return made;
  }

  return {
    /** The `doc` event's listener, for every socket (a socket's state is made on its first frame). */
    events: { [DOC_EVENT]: onFrame },
    /** After a membership or role change committed: every node closes the documents the user may no longer read. */
    async accessChanged(userId: string, propertyId: string): Promise<void> {
      if (deps.clustered) io.serverSideEmit(DOC_ACCESS_CHANGED, userId, propertyId);
      await recheckLogged(userId, propertyId);
    },
  };
}

// y-protocols reads and writes awareness updates only through an Awareness instance holding the
// states; the server relays without holding any, so it walks the documented wire format itself:
// varUint count, then per client varUint id, varUint clock, varString JSON state ("null" = gone).
function readAwarenessEntries(data: Uint8Array): Array<[number, number, boolean]> {
  const decoder = decoding.createDecoder(data);
  const count = decoding.readVarUint(decoder);
  const entries: Array<[number, number, boolean]> = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push([clientId, clock, decoding.readVarString(decoder) === 'null']);
  }
  return entries;
}

function encodeAwarenessRemoval(presence: ReadonlyMap<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, presence.size);
  for (const [clientId, clock] of presence) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock + 1);
    encoding.writeVarString(encoder, 'null');
  }
  return encoding.toUint8Array(encoder);
}
