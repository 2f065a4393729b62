// The command mix of the round-trip and throughput scenarios. Adding a command type is one line in
// COMMAND_MIX: its weight and a function that makes a payload from the generator's state. Entries
// whose type the server does not list in GET /api/protocol are left out (and reported), so the mix
// grows by itself as domains land on main.

export interface RoomState {
  id: string;
  status: string;
  roomTypeId: string;
}

export interface MixState {
  propertyId: string;
  /** The rooms this generator owns (rooms are split between generator processes). */
  rooms: RoomState[];
  roomTypeIds: string[];
  /** Increments per command made; use it to vary payloads deterministically. */
  n: number;
}

export interface MixEntry {
  type: string;
  weight: number;
  make(state: MixState): unknown;
}

// Every housekeeping status change is a real change: a room moves dirty -> clean -> inspected -> dirty.
const NEXT_STATUS: Record<string, string> = { dirty: 'clean', clean: 'inspected', inspected: 'dirty', out_of_order: 'dirty', out_of_service: 'dirty' };

function setStatus(state: MixState) {
  const room = state.rooms[state.n % state.rooms.length]!;
  room.status = NEXT_STATUS[room.status] ?? 'dirty';
  return { roomId: room.id, status: room.status };
}

export const COMMAND_MIX: MixEntry[] = [
  { type: 'room.setStatus', weight: 10, make: setStatus },
  // When issue 4's handlers land, e.g.:
  // { type: 'reservation.create', weight: 2, make: (s) => ({ propertyId: s.propertyId, roomTypeId: s.roomTypeIds[s.n % s.roomTypeIds.length], arrival: ..., departure: ..., adults: 2, guest: { firstName: 'Bench', lastName: `Guest ${s.n}` } }) },
];

/** The mix restricted to what the server offers, as a picker by cumulative weight. */
export function mixFor(available: readonly string[]) {
  const entries = COMMAND_MIX.filter((e) => available.includes(e.type));
  const total = entries.reduce((a, e) => a + e.weight, 0);
  return {
    entries,
    describe: () => entries.map((e) => `${e.type} ${Math.round((100 * e.weight) / total)}%`).join(', '),
    /** Deterministic: the k-th command's type is the same in every run. */
    pick(k: number): MixEntry {
      let x = ((k * 7919) % total + total) % total;
      for (const e of entries) {
        if (x < e.weight) return e;
        x -= e.weight;
      }
      return entries[entries.length - 1]!;
    },
  };
}
