import { COMMANDS_BY_TYPE, type Ack, type ProductView } from '@innboard/shared';
import { live } from '#lib/live/store.svelte.ts';
import { newId } from '#lib/live/ids.ts';
import { localOrderRef, PosOutbox, type OutboxEntry } from './outbox.ts';

const browser = typeof window !== 'undefined';
const TERMINAL_KEY = 'innboard.pos.terminal';

/** Which outlet and till this device is; kept on the device, like a physical till's setting. */
export interface TerminalChoice {
  outletId: string;
  terminalId: string | null;
}

/**
 * One device's point of sale at one property: its outbox of commands (kept in localStorage across
 * reloads and outages), the outlet it sells for, and the order on screen. Commands never wait for an
 * answer here: they are queued, shown as pending at once, and confirmed or rejected later.
 */
export class PosTerminal {
  readonly userId: string;
  readonly propertyId: string;
  readonly #outbox: PosOutbox;

  entries = $state.raw<readonly OutboxEntry[]>([]);
  choice = $state<TerminalChoice | null>(null);
  /** The order on screen: a server id, or the local ref of one opened offline. */
  orderRef = $state<string | null>(null);

  /** The command the live client is sending now (it counts that one among its own). */
  sending = $state.raw<string | null>(null);

  /** Every queued command: the one in flight and those behind it. */
  readonly pending = $derived(this.entries.filter((e) => e.state === 'pending').length);
  /** Queued commands the live client has not been handed yet (they wait behind the one in flight). */
  readonly heldBack = $derived(this.entries.filter((e) => e.state === 'pending' && e.id !== this.sending).length);
  readonly rejected = $derived(this.entries.filter((e) => e.state === 'rejected'));

  constructor(userId: string, propertyId: string) {
    this.userId = userId;
    this.propertyId = propertyId;
    this.#outbox = new PosOutbox({
      storage: browser ? window.localStorage : undefined,
      key: `innboard.pos.outbox.${userId}.${propertyId}`,
      newId,
      send: (type, payload, id) => send(type, payload, id),
      onChange: () => this.#pull(),
    });
    this.#pull();
    this.choice = loadChoice(propertyId);
    void this.#outbox.pump();
  }

  resolve(ref: string): string {
    return this.#outbox.resolve(ref);
  }

  /** Null forgets the choice (the picker shows again). */
  choose(choice: TerminalChoice | null): void {
    this.choice = choice;
    this.orderRef = null;
    if (!browser) return;
    const key = `${TERMINAL_KEY}.${this.propertyId}`;
    if (choice) window.localStorage.setItem(key, JSON.stringify(choice));
    else window.localStorage.removeItem(key);
  }

  select(orderRef: string | null): void {
    this.orderRef = orderRef;
  }

  /** Opens an order and puts it on screen at once, before the server has answered. */
  openOrder(table: string | undefined, covers: number | undefined): void {
    if (!this.choice) return;
    const entry = this.#outbox.add(
      'pos.order.open',
      { outletId: this.choice.outletId, table, covers, ...this.#terminal() },
      table ? `Open table ${table}` : 'Open a tab',
    );
    this.orderRef = localOrderRef(entry.id);
  }

  addLine(product: ProductView, quantity: number, modifiers: string[], note: string): void {
    if (!this.orderRef) return;
    const payload = {
      orderId: this.orderRef,
      productId: product.productId,
      quantity,
      modifiers: modifiers.length ? modifiers : undefined,
      note: note.trim() || undefined,
      ...this.#terminal(),
    };
    this.#outbox.add('pos.order.addLine', payload, `${quantity} × ${product.name}`);
  }

  voidLine(lineId: string, name: string, reason: string): void {
    if (!this.orderRef) return;
    this.#outbox.add('pos.order.voidLine', { orderId: this.orderRef, lineId, reason, ...this.#terminal() }, `Void ${name}`);
  }

  discount(lineId: string | undefined, kind: 'percent' | 'amount', value: number, reason: string): void {
    if (!this.orderRef) return;
    const payload = { orderId: this.orderRef, lineId, [kind]: value, reason, ...this.#terminal() };
    this.#outbox.add('pos.order.discount', payload, lineId ? 'Line discount' : 'Order discount');
  }

  pay(method: 'cash' | 'card', amount: number, tip: number): void {
    if (!this.orderRef) return;
    const payload = { orderId: this.orderRef, method, amount, tip: tip || undefined, ...this.#terminal() };
    this.#outbox.add('pos.order.pay', payload, `${method === 'cash' ? 'Cash' : 'Card'} payment`);
  }

  postToRoom(roomNumber: string, guestLastName: string): void {
    if (!this.orderRef) return;
    const payload = { orderId: this.orderRef, roomNumber, guestLastName, ...this.#terminal() };
    this.#outbox.add('pos.order.postToRoom', payload, `Post to room ${roomNumber}`);
  }

  split(lineIds: string[]): void {
    if (!this.orderRef || lineIds.length === 0) return;
    this.#outbox.add('pos.order.split', { orderId: this.orderRef, lineIds, ...this.#terminal() }, `Split off ${lineIds.length} line(s)`);
  }

  splitEvenly(parts: number): void {
    if (!this.orderRef) return;
    this.#outbox.add('pos.order.splitEvenly', { orderId: this.orderRef, parts }, `Split in ${parts}`);
  }

  moveTo(table: string): void {
    if (!this.orderRef) return;
    this.#outbox.add('pos.order.transfer', { orderId: this.orderRef, table }, `Move to table ${table}`);
  }

  setNote(note: string): void {
    if (!this.orderRef) return;
    this.#outbox.add('pos.order.setNote', { orderId: this.orderRef, note }, 'Order note');
  }

  voidOrder(reason: string): void {
    if (!this.orderRef) return;
    this.#outbox.add('pos.order.void', { orderId: this.orderRef, reason, ...this.#terminal() }, 'Void the order');
  }

  retry(id: string): void {
    this.#outbox.retry(id);
  }

  discard(id: string): void {
    this.#outbox.discard(id);
  }

  /** The read model folded in events up to `seq`: accepted commands it shows leave the outbox. */
  settle(seq: number): void {
    this.#outbox.settle(seq);
  }

  /** Send again what waits (e.g. on reconnect); a no-op while a send is in flight. */
  flush(): void {
    void this.#outbox.pump();
  }

  dispose(): void {
    this.#outbox.dispose();
  }

  #terminal(): { terminalId?: string } {
    return this.choice?.terminalId ? { terminalId: this.choice.terminalId } : {};
  }

  #pull(): void {
    this.entries = this.#outbox.entries;
    this.sending = this.#outbox.sending;
    // An order opened offline got its server id: show the real one.
    if (this.orderRef && this.#outbox.resolve(this.orderRef) !== this.orderRef) this.orderRef = this.#outbox.resolve(this.orderRef);
  }
}

/** Through the live client's queue, which holds commands while disconnected; validated against the shared schema. */
function send(type: string, payload: Record<string, unknown>, id: string): Promise<Ack> {
  const spec = COMMANDS_BY_TYPE.get(type);
  if (!spec) return Promise.resolve({ ok: false, error: { code: 'VALIDATION', message: `Unknown command ${type}.` } });
  return live.client.command(spec, payload as never, { id });
}

function loadChoice(propertyId: string): TerminalChoice | null {
  if (!browser) return null;
  try {
    const raw = window.localStorage.getItem(`${TERMINAL_KEY}.${propertyId}`);
    return raw ? (JSON.parse(raw) as TerminalChoice) : null;
  } catch {
    return null;
  }
}

let current: PosTerminal | null = null;

/**
 * POS commands waiting on this device that the live client does not count yet: the outbox hands it one
 * at a time, so "changes waiting" adds these to the client's own queue.
 */
export function posCommandsHeldBack(): number {
  return current?.heldBack ?? 0;
}

/**
 * The device's terminal for the signed-in user and current property; the same one across POS pages, so
 * leaving the terminal page does not stop the queue.
 */
export function terminalFor(userId: string, propertyId: string): PosTerminal {
  if (current?.userId !== userId || current.propertyId !== propertyId) {
    current?.dispose();
    current = new PosTerminal(userId, propertyId);
  }
  return current;
}
