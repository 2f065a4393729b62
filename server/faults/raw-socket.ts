// A bare Socket.IO v4 client over Node's WebSocket: it writes packets as text, so a test can send what
// socket.io-client never would (truncated JSON, 50,000-deep nesting, prototype keys, frames past the
// transport limit) and pipeline thousands of acks on one connection without the client's bookkeeping.
export type Outcome = { kind: 'ack'; args: unknown[] } | { kind: 'closed' } | { kind: 'timeout' };

export class RawSocket {
  private ws!: WebSocket;
  private nextId = 1;
  private pending = new Map<number, (o: Outcome) => void>();
  closed = false;

  /** Opens the engine, sends CONNECT with `auth`, resolves once the namespace accepted (rejects with the refusal). */
  static async open(url: string, auth: Record<string, unknown>): Promise<RawSocket> {
    const s = new RawSocket();
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
      s.ws = ws;
      ws.onmessage = (m) => {
        const text = String(m.data);
        if (text[0] === '0') return ws.send(`40${JSON.stringify(auth)}`);
        if (text.startsWith('40')) return resolve();
        if (text.startsWith('44')) return reject(new Error(`refused: ${text.slice(2)}`));
        s.onPacket(text);
      };
      ws.onerror = () => reject(new Error('websocket error'));
      ws.onclose = () => {
        s.closed = true;
        reject(new Error('closed during handshake'));
        for (const done of s.pending.values()) done({ kind: 'closed' });
        s.pending.clear();
      };
    });
    return s;
  }

  private onPacket(text: string) {
    if (text === '2') return this.ws.send('3'); // engine ping -> pong
    const m = /^43(\d+)/.exec(text);
    if (!m) return;
    const id = Number(m[1]);
    const done = this.pending.get(id);
    if (!done) return;
    this.pending.delete(id);
    done({ kind: 'ack', args: JSON.parse(text.slice(m[0].length)) as unknown[] });
  }

  /**
   * Emits `event` with `argsJson` (the JSON text of the arguments after the event name) and resolves with
   * its ack, the connection's close, or a timeout (the server neither answered nor refused: a violation).
   */
  emit(event: string, argsJson: string, timeoutMs = 15_000): Promise<Outcome> {
    return this.sendWithAck((id) => `42${id}[${JSON.stringify(event)}${argsJson ? `,${argsJson}` : ''}]`, timeoutMs);
  }

  /** Sends `frame(ackId)` as is and waits like `emit` (for frames built by hand, e.g. past the size limit). */
  sendWithAck(frame: (ackId: number) => string, timeoutMs = 15_000): Promise<Outcome> {
    if (this.closed) return Promise.resolve({ kind: 'closed' });
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.pending.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      this.ws.send(frame(id));
    });
  }

  /** Sends a frame that carries no ack id (malformed on purpose). */
  sendRaw(frame: string | Uint8Array) {
    if (!this.closed) this.ws.send(frame);
  }

  close() {
    this.ws.close();
  }
}
