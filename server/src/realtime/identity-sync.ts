import type { Server } from 'socket.io';
import { membershipChanged, userDeactivated, type EventEnvelope, type EventPayloadOf } from '@innboard/shared';
import type { AccessCache } from '../identity/access-cache.ts';
import { propertyRoom, userRoom } from './gateway.ts';
import type { DocChannel } from './doc-channel.ts';

/**
 * Runs after a command committed and BEFORE its ack is sent, so a client that sees the ack and
 * turns to another node already meets the new permissions there. Socket.IO room operations on
 * `io.in(room)` go through the adapter, i.e. to the user's sockets on every node.
 */
export function createIdentitySync(io: Server, cache: AccessCache, docs: Pick<DocChannel, 'accessChanged'>) {
  return async function afterCommit(events: readonly EventEnvelope[]): Promise<void> {
    for (const e of events) {
      if (e.type === membershipChanged.type) {
        const p = e.payload as EventPayloadOf<typeof membershipChanged>;
        await cache.invalidateUser(p.userId);
        // Live subscriptions follow membership: a removed member stops hearing the property at once.
        if (p.role === null) io.in(userRoom(p.userId)).socketsLeave(propertyRoom(p.propertyId));
        else if (p.previousRole === null) io.in(userRoom(p.userId)).socketsJoin(propertyRoom(p.propertyId));
        // Open documents are rooms of their own: removed, or a role that may not read them, closes them too.
        if (p.role === null || p.previousRole !== null) await docs.accessChanged(p.userId, p.propertyId);
      } else if (e.type === userDeactivated.type) {
        const p = e.payload as EventPayloadOf<typeof userDeactivated>;
        await cache.invalidateUser(p.userId);
        io.in(userRoom(p.userId)).disconnectSockets(true);
      }
    }
  };
}
