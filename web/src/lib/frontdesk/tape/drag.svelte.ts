import type { Room } from '#lib/live/read-model.ts';
import { addDays, daysBetween } from '../dates.ts';
import type { FrontDeskModel, Reservation } from '../model.ts';
import { clampDeparture, planMove, planResize, type MovePlan, type ResizePlan } from '../moves.ts';
import { isBlocking, type Bar, type TapeWindow } from '../tape.ts';

// Dragging on the tape chart: a bar onto another room row (assign / move) or its right edge to a new
// departure (extend / shorten). Pointer events on the window, so the drag survives leaving the bar.
// The plan (and so the red or green preview) is recomputed from the live model on every move.

export type DragMode = 'move' | 'resize';
/** ok: free and the drop is allowed; warn: allowed with a warning; bad: the night (or drop) is refused; free: the night is free but another night refuses the drop. */
export type CellState = 'ok' | 'warn' | 'bad' | 'free';

export interface Preview {
  /** Row the preview is drawn on: a room id, or `unassigned-<lane>`. */
  row: string;
  start: number;
  cells: Array<{ date: string; state: CellState }>;
  valid: boolean;
}

export interface Drop {
  reservation: Reservation;
  mode: DragMode;
  plan: MovePlan | ResizePlan;
  room: Room | null;
}

interface Context {
  model(): FrontDeskModel;
  window(): TapeWindow;
  cell(): number;
  businessDate(): string;
  room(id: string): Room | undefined;
  typeName(id: string): string;
  drop(drop: Drop): void;
}

interface Active {
  mode: DragMode;
  bar: Bar & { lane?: number };
  track: HTMLElement;
  startX: number;
  startY: number;
  moved: boolean;
  roomId: string | null;
  departure: string | null;
}

const THRESHOLD_PX = 5;

export class TapeDrag {
  #ctx: Context;
  #active = $state<Active | null>(null);
  /** Set when a drag ends: the click the browser fires for that same gesture must not open the bar. */
  #swallowClick = false;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  /** The reservation being dragged (after the pointer moved a little), for styling. */
  readonly draggingId: string | null = $derived(this.#active?.moved ? this.#active.bar.reservation.id : null);

  readonly plan: MovePlan | ResizePlan | null = $derived.by(() => {
    const a = this.#active;
    if (!a?.moved) return null;
    const model = this.#ctx.model();
    const r = a.bar.reservation;
    if (a.mode === 'resize') return a.departure ? planResize(model, r, a.departure) : null;
    const room = a.roomId ? this.#ctx.room(a.roomId) : undefined;
    return room ? planMove(model, r, room, this.#ctx.businessDate(), this.#ctx.typeName) : null;
  });

  readonly preview: Preview | null = $derived.by(() => {
    const a = this.#active;
    const plan = this.plan;
    if (!a || !plan || plan.kind === 'none') return null;
    const r = a.bar.reservation;
    const from = this.#ctx.window().from;
    const valid = plan.kind !== 'refused';
    const problems = new Map(plan.nights.map((n) => [n.date, n.problem]));
    const someNightRefuses = plan.nights.some((n) => isBlocking(n.problem));
    let first: string;
    let last: string;
    if (a.mode === 'resize') {
      first = a.bar.from;
      last = a.departure!;
    } else {
      first = plan.nights[0]?.date ?? r.arrival;
      last = r.departure;
    }
    const cells: Preview['cells'] = [];
    for (let d = first; d < last; d = addDays(d, 1)) {
      const p = problems.get(d) ?? null;
      const state: CellState = isBlocking(p) ? 'bad' : !valid ? (someNightRefuses ? 'free' : 'bad') : p ? 'warn' : 'ok';
      cells.push({ date: d, state });
    }
    const row = a.mode === 'resize' ? (a.bar.roomId ?? `unassigned-${a.bar.lane ?? 0}`) : a.roomId!;
    return { row, start: daysBetween(from, first), cells, valid };
  });

  /** What the drop would do, in words (shown and announced while dragging). */
  readonly message: string | null = $derived.by(() => {
    const a = this.#active;
    const plan = this.plan;
    if (!a?.moved) return null;
    if (!plan) return a.mode === 'move' ? 'Drop on a room row' : null;
    const room = a.roomId ? this.#ctx.room(a.roomId) : undefined;
    switch (plan.kind) {
      case 'none': return 'Drop elsewhere to change it';
      case 'refused': return plan.reason;
      case 'assign': return `Release to put ${a.bar.reservation.guest.name} in room ${room?.number}${plan.warning ? ` — ${plan.warning}` : ''}`;
      case 'move': return `Release to move ${a.bar.reservation.guest.name} to room ${room?.number} from tonight${plan.warning ? ` — ${plan.warning}` : ''}`;
      case 'extend': return `Release to extend the stay to ${plan.departure}`;
      case 'shorten': return `Release to shorten the stay to ${plan.departure}`;
    }
  });

  /**
   * True (once) for the click that ends a drag: it is the end of the drag, not a request to open the
   * bar. Any new press clears it, so a genuine click right after a drag is never swallowed, however
   * fast it comes (no time window to race).
   */
  consumeDragClick(): boolean {
    const swallow = this.#swallowClick;
    this.#swallowClick = false;
    return swallow;
  }

  #clearSwallow = (): void => {
    this.#swallowClick = false;
  };

  start(e: PointerEvent, bar: Bar & { lane?: number }, mode: DragMode): void {
    if (e.button !== 0 || this.#active) return;
    const track = (e.currentTarget as HTMLElement).closest<HTMLElement>('[data-track]');
    if (!track) return;
    if (mode === 'resize') e.stopPropagation();
    e.preventDefault(); // no text selection while dragging
    this.#active = { mode, bar, track, startX: e.clientX, startY: e.clientY, moved: false, roomId: null, departure: null };
    window.addEventListener('pointermove', this.#onMove);
    window.addEventListener('pointerup', this.#onUp);
    window.addEventListener('pointercancel', this.cancel);
    window.addEventListener('keydown', this.#onKey, true);
  }

  cancel = (): void => {
    if (this.#active?.moved) {
      this.#swallowClick = true;
      window.addEventListener('pointerdown', this.#clearSwallow, { capture: true, once: true });
    }
    this.#active = null;
    window.removeEventListener('pointermove', this.#onMove);
    window.removeEventListener('pointerup', this.#onUp);
    window.removeEventListener('pointercancel', this.cancel);
    window.removeEventListener('keydown', this.#onKey, true);
  };

  #onMove = (e: PointerEvent): void => {
    const a = this.#active;
    if (!a) return;
    if (!a.moved && Math.hypot(e.clientX - a.startX, e.clientY - a.startY) < THRESHOLD_PX) return;
    const next = { ...a, moved: true };
    if (a.mode === 'move') {
      const row = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>('[data-room-row]');
      next.roomId = row?.dataset.roomRow ?? null;
    } else {
      const left = a.track.getBoundingClientRect().left;
      const day = Math.round((e.clientX - left) / this.#ctx.cell());
      next.departure = clampDeparture(a.bar.reservation, addDays(this.#ctx.window().from, day));
    }
    if (next.roomId !== a.roomId || next.departure !== a.departure || !a.moved) this.#active = next;
  };

  #onUp = (): void => {
    const a = this.#active;
    const plan = this.plan;
    const room = a?.roomId ? (this.#ctx.room(a.roomId) ?? null) : null;
    this.cancel();
    if (a?.moved && plan && plan.kind !== 'none') this.#ctx.drop({ reservation: a.bar.reservation, mode: a.mode, plan, room });
  };

  #onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
  };
}
