// Client side of the `doc` channel, shared by the board and the server's tests so both run the same
// code. y-protocols encodes every message; only the transport is ours, because y-websocket's
// provider opens its own WebSocket and we sync over the already authenticated Socket.IO connection.
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { DOC_TEXT_KEY, type DocAck, type DocBroadcast, type DocFrame, type DocJoinResult } from '../protocol/collab.ts';
import type { ErrorBody } from '../protocol/envelope.ts';

/** What a session needs from the socket: send a frame and get its ack, hear the server's frames. */
export interface DocTransport {
  send(frame: DocFrame): Promise<DocAck>;
  listen(handler: (frame: DocBroadcast) => void): () => void;
}

const REMOTE = Symbol('remote');

/** socket.io-client hands binary over as ArrayBuffer in browsers and as Buffer in Node. */
const bytes = (data: ArrayBuffer | Uint8Array): Uint8Array => (data instanceof Uint8Array ? data : new Uint8Array(data));

export class DocSession {
  /** Replaced (with text and awareness) when the server refuses an edit: see `onReset`. */
  doc!: Y.Doc;
  text!: Y.Text;
  awareness!: awarenessProtocol.Awareness;
  /** Set by the server on join: the user may read but not edit. */
  readOnly = false;
  joined = false;
  /**
   * The last refusal (FORBIDDEN, TOO_LARGE, ...) of an edit or a join, for the editor to show; cleared by
   * the next accepted edit or join (not by the rejoin that follows the refusal itself).
   */
  lastError: ErrorBody | null = null;
  onChange: () => void = () => {};
  /**
   * Called after a refused edit replaced doc, text and awareness with the server's copy: an editor
   * must bind to the new ones. (A yjs document cannot take a change back, and every later edit of
   * ours would build on the refused one, which nobody else has; they would wait for it forever.)
   */
  onReset: () => void = () => {};
  readonly #name: string;
  readonly #transport: DocTransport;
  readonly #unlisten: () => void;
  readonly #pending = new Set<Promise<DocAck>>();
  #resetting = false;

  constructor(name: string, transport: DocTransport) {
    this.#name = name;
    this.#transport = transport;
    this.#unlisten = transport.listen((frame) => this.#receive(frame));
    this.#attach(new Y.Doc());
  }

  #attach(doc: Y.Doc) {
    this.doc = doc;
    this.text = doc.getText(DOC_TEXT_KEY);
    this.awareness = new awarenessProtocol.Awareness(doc);
    const awareness = this.awareness;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || !this.joined || this.doc !== doc) return;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      this.#send({ doc: this.#name, type: 'sync', data: encoding.toUint8Array(encoder) });
    });
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === REMOTE || !this.joined || this.awareness !== awareness) return;
      const changed = [...added, ...updated, ...removed];
      this.#sendPresence(awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    });
  }

  /** Drops our copy (with the refused edit) for a fresh one from the server, keeping our presence. */
  async #reset(): Promise<void> {
    if (this.#resetting || !this.joined) return;
    this.#resetting = true;
    const old = { doc: this.doc, awareness: this.awareness };
    const presence = old.awareness.getLocalState();
    this.joined = false;
    // Our old client id leaves the others' cursors; the new document gets a new one.
    awarenessProtocol.removeAwarenessStates(old.awareness, [old.doc.clientID], 'local');
    this.#sendPresence(awarenessProtocol.encodeAwarenessUpdate(old.awareness, [old.doc.clientID]));
    this.#attach(new Y.Doc());
    if (presence) this.awareness.setLocalState(presence);
    try {
      await this.join();
    } finally {
      this.#resetting = false;
      old.awareness.destroy();
      old.doc.destroy();
      this.onReset();
    }
  }

  get name(): string {
    return this.#name;
  }

  /**
   * Sync step 1 with our state vector: the server answers with what we lack and its own state
   * vector, and we answer that with what it lacks (edits made offline). Call again after a reconnect.
   */
  async join(): Promise<DocAck> {
    const step1 = encoding.createEncoder();
    syncProtocol.writeSyncStep1(step1, this.doc);
    const ack = await this.#transport.send({ doc: this.#name, type: 'sync', data: encoding.toUint8Array(step1) });
    if (!ack.ok) {
      this.lastError = ack.error;
      this.onChange();
      return ack;
    }
    const result = ack.result as DocJoinResult;
    if (!this.#resetting) this.lastError = null;
    this.readOnly = result.readOnly;
    this.#applySync(bytes(result.reply));
    this.joined = true;
    const answer = this.#applySync(bytes(result.serverStep1));
    if (answer) this.#send({ doc: this.#name, type: 'sync', data: answer });
    if (this.awareness.getLocalState() !== null) this.#sendOwnPresence();
    this.onChange();
    return ack;
  }

  /** Every edit sent so far has been answered (stored, or refused: see the acks). */
  async flush(): Promise<DocAck[]> {
    return Promise.all([...this.#pending]);
  }

  setPresence(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
  }

  async destroy(): Promise<void> {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    await this.flush();
    this.joined = false;
    this.#unlisten();
    await this.#transport.send({ doc: this.#name, type: 'leave' }).catch(() => undefined);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Applies a y-protocols sync message; returns the reply it calls for (step 2 for a step 1), if any. */
  #applySync(message: Uint8Array): Uint8Array | null {
    const encoder = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoding.createDecoder(message), encoder, this.doc, REMOTE);
    return encoding.length(encoder) > 0 ? encoding.toUint8Array(encoder) : null;
  }

  #sendOwnPresence() {
    this.#sendPresence(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
  }

  /** Presence is best effort: a frame lost while disconnected is repeated on the next join. */
  #sendPresence(data: Uint8Array) {
    void this.#transport.send({ doc: this.#name, type: 'awareness', data }).catch(() => undefined);
  }

  #send(frame: DocFrame) {
    // An edit whose frame is lost with the connection stays in the local document; the next join()
    // sends it again as part of our sync step 2.
    const partOfReset = this.#resetting;
    const sent = this.#transport.send(frame).catch((): DocAck => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'Not connected; the change is sent again when the connection is back' } })).then((ack) => {
      if (!ack.ok) {
        this.lastError = ack.error;
        this.onChange();
        // Refused for good (too large, not allowed): take the server's copy. A lost connection is not
        // a refusal: the edit is resent by the next join.
        if (ack.error.code !== 'UNAVAILABLE') void this.#reset();
      } else if (this.lastError && !partOfReset) {
        this.lastError = null;
        this.onChange();
      }
      return ack;
    });
    this.#pending.add(sent);
    void sent.finally(() => this.#pending.delete(sent));
  }

  #receive(frame: DocBroadcast) {
    if (frame.doc !== this.#name || !this.joined) return;
    if (frame.type === 'sync' && frame.data) this.#applySync(bytes(frame.data));
    else if (frame.type === 'awareness' && frame.data) awarenessProtocol.applyAwarenessUpdate(this.awareness, bytes(frame.data), REMOTE);
    else if (frame.type === 'awarenessQuery' && this.awareness.getLocalState() !== null) this.#sendOwnPresence();
  }
}
