import type { Ack, CommandSpec, PayloadOf } from '@innboard/shared';
import { live } from '#lib/live/store.svelte.ts';

/**
 * A command whose answer the screen reads (searches, quotes, reports). The result type is the shared
 * protocol's; the server is trusted to send it, as with events.
 */
export function ask<R, C extends CommandSpec = CommandSpec>(spec: C, payload: PayloadOf<C>): Promise<Ack<R>> {
  return live.client.command(spec, payload) as Promise<Ack<R>>;
}
