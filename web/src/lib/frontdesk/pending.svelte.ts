import type { Ack, CommandSpec, PayloadOf } from '@innboard/shared';
import { describeError } from '#lib/live/errors.ts';
import { newId } from '#lib/live/ids.ts';
import { live } from '#lib/live/store.svelte.ts';
import { toast } from '#lib/ui/toast.svelte.ts';
import type { FrontDeskModel, Reservation } from './model.ts';

/**
 * Reservation changes shown before the server confirms them (a bar dropped on a new room stays there
 * instead of jumping back for a round trip). Kept beside PropertyStore so the front desk needs no change
 * to the shared store: each change is dropped when refused, or once the board has folded in the seq
 * its ack named.
 */
interface PendingChange {
  id: string;
  propertyId: string;
  reservationId: string;
  patch: (r: Reservation) => Reservation;
  settleAtSeq?: number;
}

class PendingReservations {
  #items = $state.raw<readonly PendingChange[]>([]);

  /** Reservation ids with a change on its way (acked ones count until the board has their event). */
  readonly ids: ReadonlySet<string> = $derived.by(() => {
    const seq = live.property?.model?.seq ?? 0;
    return new Set(this.#items.filter((c) => c.settleAtSeq === undefined || c.settleAtSeq > seq).map((c) => c.reservationId));
  });

  /** The model as the screen should show it: confirmed state with unconfirmed changes on top. */
  apply(model: FrontDeskModel, propertyId: string, confirmedSeq: number): FrontDeskModel {
    const live = this.#items.filter((c) => c.propertyId === propertyId && (c.settleAtSeq === undefined || c.settleAtSeq > confirmedSeq));
    if (live.length === 0) return model;
    const reservations = { ...model.reservations };
    for (const change of live) {
      const r = reservations[change.reservationId];
      if (r) reservations[change.reservationId] = change.patch(r);
    }
    return { ...model, reservations };
  }

  /**
   * Send a command for one reservation, showing `patch` until it is confirmed. Resolves with the ack
   * (never rejects); a refusal shows `failure: <server's reason>` unless `failure` is omitted.
   */
  async run<C extends CommandSpec>(spec: C, payload: PayloadOf<C>, opts: { reservationId: string; patch?: (r: Reservation) => Reservation; failure?: string }): Promise<Ack> {
    const store = live.property;
    // Without a patch the change still marks the reservation as saving.
    const change: PendingChange | null = store ? { id: newId(), propertyId: store.propertyId, reservationId: opts.reservationId, patch: opts.patch ?? ((r) => r) } : null;
    if (change) this.#items = [...this.#items, change];
    const ack = await live.client.command(spec, payload, change ? { id: change.id } : {});
    const confirmedSeq = live.property?.model?.seq ?? 0;
    if (change && ack.ok && ack.seq !== undefined && ack.seq > confirmedSeq) change.settleAtSeq = ack.seq;
    else if (change) this.#items = this.#items.filter((c) => c !== change);
    this.#prune(confirmedSeq);
    if (!ack.ok && opts.failure) toast.error(`${opts.failure}: ${describeError(ack.error)}`);
    return ack;
  }

  #prune(confirmedSeq: number): void {
    const propertyId = live.property?.propertyId;
    const keep = this.#items.filter((c) => c.propertyId === propertyId && (c.settleAtSeq === undefined || c.settleAtSeq > confirmedSeq));
    if (keep.length !== this.#items.length) this.#items = keep;
  }
}

export const pendingReservations = new PendingReservations();
