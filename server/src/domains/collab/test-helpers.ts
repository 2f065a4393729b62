// Helpers shared by the collaboration medium tests (not a test file itself).
import { DOC_EVENT, type DocAck, type DocBroadcast } from '@innboard/shared';
import { DocSession } from '@innboard/shared/collab';
import type { Socket } from 'socket.io-client';
import { waitFor } from '../../testing/cluster.ts';

export const ackCode = (ack: DocAck) => (ack.ok ? 'OK' : ack.error.code);

/** The board's DocSession over a test client's socket. */
export function sessionOn(socket: Socket, name: string): DocSession {
  return new DocSession(name, {
    send: (frame) => socket.timeout(15_000).emitWithAck(DOC_EVENT, frame) as Promise<DocAck>,
    listen: (handler) => {
      const fn = (frame: DocBroadcast) => handler(frame);
      socket.on(DOC_EVENT, fn);
      return () => void socket.off(DOC_EVENT, fn);
    },
  });
}

export async function openSession(socket: Socket, name: string): Promise<DocSession> {
  const session = sessionOn(socket, name);
  const ack = await session.join();
  if (!ack.ok) throw new Error(`join ${name} refused: ${ack.error.code} ${ack.error.message}`);
  return session;
}

/** Types into the document's text at the end and resolves with the ack of that edit. */
export async function append(session: DocSession, text: string): Promise<DocAck> {
  session.text.insert(session.text.length, text);
  const acks = await session.flush();
  return acks[acks.length - 1] ?? { ok: true };
}

export const textOf = (session: DocSession) => session.text.toString();

export function untilText(session: DocSession, pred: (text: string) => boolean, what = 'document text'): Promise<string> {
  return waitFor(what, async () => (pred(textOf(session)) ? textOf(session) : undefined), 10_000, 20);
}

/**
 * A DocSession transport whose socket can be swapped, as the board's LiveClient does when it
 * reconnects (here to another node): the session and its Y.Doc survive, only the connection changes.
 */
export function movableSession(socket: Socket, name: string): { session: DocSession; moveTo(next: Socket): void } {
  let current = socket;
  const handlers = new Set<(frame: DocBroadcast) => void>();
  const dispatch = (frame: DocBroadcast) => { for (const h of handlers) h(frame); };
  current.on(DOC_EVENT, dispatch);
  const session = new DocSession(name, {
    send: (frame) => current.timeout(15_000).emitWithAck(DOC_EVENT, frame) as Promise<DocAck>,
    listen: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  });
  return {
    session,
    moveTo(next) {
      current.off(DOC_EVENT, dispatch);
      current = next;
      current.on(DOC_EVENT, dispatch);
    },
  };
}
