import type { PayloadOf, ReservationView, reservationAssignRoom, reservationAutoAssign, reservationMoveRoom, reservationUnassignRoom } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid } from '../../pipeline/errors.ts';
import { setRoomStatus } from '../property/room.service.ts';
import { vacateFrom } from './inventory.repository.ts';
import { lockReservation, propertyOf, requireRoom } from './lookups.ts';
import { announceUpdate, currentView, requireStatus } from './reservation.service.ts';
import { bookNights, holdRoom, releaseNights } from './stay-ledger.ts';
import { tellArrivalAssigned } from './arrival-notice.ts';
import { Guest } from './entities.ts';

export interface RoomCandidate {
  id: string;
  number: string;
  floor: number;
  status: string;
  features: string[];
  /** Sellable but flagged for the stay (an out-of-service block overlaps it). */
  outOfService: boolean;
}

const STATUS_RANK: Record<string, number> = { inspected: 0, clean: 1, dirty: 2 };

/**
 * Best fit for a stay among free rooms of the right type: not flagged out of service, on the
 * preferred floor, ready (inspected, clean, then dirty), most liked features, lowest number.
 */
export function rankRooms(candidates: RoomCandidate[], prefs: { floor?: number; features?: string[] }): RoomCandidate[] {
  const liked = new Set(prefs.features ?? []);
  const key = (c: RoomCandidate) => [
    c.outOfService ? 1 : 0,
    prefs.floor !== undefined && c.floor !== prefs.floor ? 1 : 0,
    STATUS_RANK[c.status] ?? 3,
    -c.features.filter((f) => liked.has(f)).length,
  ];
  return [...candidates].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.number.localeCompare(b.number, 'en', { numeric: true });
  });
}

export async function assignRoom(ctx: CommandContext, input: PayloadOf<typeof reservationAssignRoom>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed'], 'assign a room before check-in (use move for in-house guests)');
  const room = await requireRoom(ctx, input.roomId);
  if (room.roomType.id !== res.roomType.id) {
    throw invalid(`Room ${room.number} is not a ${res.roomType.name}; change the reservation's room type first`);
  }
  const before = await currentView(ctx, res);
  if (before.segments.length === 1 && before.roomId === room.id) return before;
  await vacateFrom(ctx.em, res.id);
  await holdRoom(ctx, res, room, res.arrival, res.departure);
  res.updatedAt = ctx.now;
  const view = await announceUpdate(ctx, res, before, 'room_assigned');
  tellArrivalAssigned(ctx, res, room.number);
  return view;
}

export async function unassignRoom(ctx: CommandContext, input: PayloadOf<typeof reservationUnassignRoom>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed'], 'remove the room');
  const before = await currentView(ctx, res);
  if (!before.segments.length) return before;
  await vacateFrom(ctx.em, res.id);
  res.updatedAt = ctx.now;
  return announceUpdate(ctx, res, before, 'room_unassigned');
}

export async function autoAssign(ctx: CommandContext, input: PayloadOf<typeof reservationAutoAssign>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed'], 'assign a room before check-in');
  const guest = await ctx.em.findOneOrFail(Guest, res.guest.id);
  const candidates = await ctx.em.execute<RoomCandidate[]>(
    `select r.id, r.number, r.floor, r.status, r.features,
       exists(select 1 from room_block b where b.room_id = r.id and b.kind = 'out_of_service' and b.from_date < ? and b.to_date > ?) as "outOfService"
     from room r
     where r.property_id = ? and r.room_type_id = ? and r.deleted_at is null
       and not exists (select 1 from room_occupancy o where o.room_id = r.id and o.arrival < ? and o.departure > ?
                       and (o.reservation_id is null or o.reservation_id <> ?))`,
    [res.departure, res.arrival, ctx.propertyId, res.roomType.id, res.departure, res.arrival, res.id],
  );
  const [best] = rankRooms(candidates, { floor: input.preferFloor ?? guest.preferences?.floor, features: guest.preferences?.features });
  if (!best) throw conflict(`No ${res.roomType.name} is free for every night of the stay; assign rooms by hand or move the guest mid-stay`);
  return assignRoom(ctx, { reservationId: res.id, roomId: best.id });
}

/**
 * Moves an in-house guest from the business date on. The old room keeps the nights already slept;
 * it becomes dirty. A move to another type keeps the price but moves the remaining nights' inventory.
 */
export async function moveRoom(ctx: CommandContext, input: PayloadOf<typeof reservationMoveRoom>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['checked_in'], 'move the guest (before check-in, assign another room instead)');
  const property = await propertyOf(ctx);
  const moveFrom = property.businessDate > res.arrival ? property.businessDate : res.arrival;
  if (moveFrom >= res.departure) throw conflict('The stay has no nights left to move; extend it first');
  const room = await requireRoom(ctx, input.roomId);
  const before = await currentView(ctx, res);
  const oldRoomId = before.roomId;
  if (oldRoomId === room.id) return before;
  await vacateFrom(ctx.em, res.id, moveFrom);
  if (room.roomType.id !== res.roomType.id) {
    const nights = await releaseNights(ctx, res, moveFrom);
    await ctx.em.populate(room, ['roomType']);
    await bookNights(ctx, res, room.roomType, nights.map((n) => ({ date: n.date, amount: n.amount })));
    res.roomType = room.roomType;
  }
  await holdRoom(ctx, res, room, moveFrom, res.departure);
  res.updatedAt = ctx.now;
  if (oldRoomId) await setRoomStatus(ctx, { roomId: oldRoomId, status: 'dirty', reason: 'Guest moved out' });
  return announceUpdate(ctx, res, before, 'room_moved', { fromRoomId: oldRoomId, toRoomId: room.id, reason: input.reason ?? null });
}
