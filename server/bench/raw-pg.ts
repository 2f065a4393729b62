// The ceiling of scenario 2: the database work of one room.setStatus issued straight through `pg`
// (no socket, no ORM, no validation), with the same pool size and concurrency as the server.
// Four plans: the 11 statements the pipeline issued before optimisation (issue 6's list), the 6 of
// issue 6's pipeline (pre-check in one statement, seq + event + audit + ack in one statement), the 2 of
// issue 12's first step (the preflight, which also read the room's status and whether a stay arrives in it
// today, then one autocommit statement doing the guarded room update with all the records), and the 1 the
// pipeline sends now for a room it knows: that statement authorizing the caller itself and taking the
// previous status from `returning old.status` (the SQL server/src/pipeline/commit-records.ts
// `writeFastCommand` builds for room.setStatus's `fastStatusByHand`).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ROOM_STATUSES, type RoomStatus } from '@innboard/shared';
import { checkManualTransition, isReadyForArrival } from '../src/domains/housekeeping/room-status.ts';
import { arrivalDueSql } from '../src/domains/housekeeping/occupancy.ts';

export type RawPlan = 'statements-11' | 'statements-6' | 'statements-2' | 'statements-1';

export interface RawTask {
  dbUrl: string;
  plan: RawPlan;
  concurrency: number;
  durationMs: number;
  poolSize: number;
  propertyId: string;
  userId: string;
  /** With `propertyId`, plan statements-1 changes the room in its own property (the 20-property scenario); the others use the task's. */
  rooms: Array<{ id: string; status: string; propertyId?: string }>;
  /** Open loop: start this many commands per second whatever the replies do (`concurrency` is then unused). */
  rate?: number;
}

/** The server's rule for "a stay arrives in this room on the business date" (occupancy.ts), for room alias `room` beside property `pp`. */
function arrivalDue(room: string): string {
  return arrivalDueSql(`${room}.id`, `${room}.property_id`, 'pp.business_date')!;
}

/**
 * The rooms the raw plans cycle through: the property's rooms without a stay arriving on its business date, and not
 * out of order (no move by hand leaves that status: every command on such a room would count as RACED). A
 * room becoming ready for an arriving guest costs the server's statement the front desk's notice as well (its
 * notification rows), which these plans do not copy: their ceiling is the everyday statement's.
 */
export const RAW_ROOMS_SQL = `select rm.id, rm.status from room rm join property pp on pp.id = rm.property_id
   where rm.property_id = $1 and rm.deleted_at is null and rm.status <> 'out_of_order' and not ${arrivalDue('rm')} order by rm.number`;

const NEXT: Record<string, string> = { dirty: 'clean', clean: 'inspected', inspected: 'dirty' };

/**
 * Who the raw plans act as: a role that may make every move of the NEXT cycle (clean -> inspected needs
 * task.inspect). As the front desk, those moves applied to nothing and counted as RACED: cheap no-ops that made
 * the ceiling read higher than the work it stands for.
 */
export const RAW_PLAN_USER = 'supervisor@innboard.demo';

/** Per target status, as the server's plan computes them (room-status.service.ts `leavableFor`): once, not per command. */
const leavable = (to: RoomStatus, canInspect: boolean) =>
  `{${ROOM_STATUSES.filter((s) => s !== to && s !== 'out_of_order' && checkManualTransition(s, to, { canInspect }, '').ok).join(',')}}`;
const LEAVABLE = Object.fromEntries(Object.values(NEXT).map((to) => [to, [leavable(to as RoomStatus, true), leavable(to as RoomStatus, false)]]));
const READY = `{${ROOM_STATUSES.filter(isReadyForArrival).join(',')}}`;

const SQL = {
  storedAck: 'select user_id, ack from command_result where id = $1',
  scope: 'select property_id from "room" where id = $1',
  access: `select u.active, r.name as role, r.permissions
       from membership m join app_user u on u.id = m.user_id join role r on r.name = m.role_name
      where m.user_id = $1 and m.property_id = $2`,
  preflight: `select cr.user_id as stored_user_id, cr.ack as stored_ack, s.property_id, u.active, r.name as role, r.permissions
      from (select 1) as one
      left join command_result cr on cr.id = $1
      left join (select property_id from "room" where id = $2 limit 1) as s (property_id) on true
      left join membership m on m.property_id = s.property_id and m.user_id = $3
      left join app_user u on u.id = m.user_id
      left join role r on r.name = m.role_name`,
  // server/src/pipeline/preflight.ts with room.setStatus's scope (domains/housekeeping/room-status.service.ts).
  fastPreflight: `select cr.user_id as stored_user_id, cr.ack as stored_ack, s.property_id, u.active, r.name as role, r.permissions,
            case when s.property_id is null then null else to_jsonb(s) end as seen
       from (select 1) as one
       left join command_result cr on cr.id = $1
       left join (select rm.property_id, rm.status, rm.number, rm.deleted_at is null as live,
               ${arrivalDue('rm')} as arrival_due
          from room rm join property pp on pp.id = rm.property_id where rm.id = $2 limit 1) as s (property_id, status, number, live, arrival_due) on true
       left join membership m on m.property_id = s.property_id and m.user_id = $3
       left join app_user u on u.id = m.user_id
       left join role r on r.name = m.role_name`,
  // The single statement of a fast room.setStatus: no BEGIN, no COMMIT.
  fast: `with dom as (update room set status = $1, status_reason = $2, version = version + 1
           where id = $3 and property_id = $4 and deleted_at is null and status = $5 returning id),
     seqs as (
       insert into property_seq (property_id, seq) select * from (values ($6::uuid, $7::bigint)) as c where exists (select 1 from dom)
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning property_id, seq
     ), events as (
       insert into event_log (property_id, seq, type, payload, command_id, at)
       select s.property_id, s.seq - v.n + v.i, v.type, v.payload, $8::uuid, $9::timestamptz
         from (values ($10::uuid, $11::int, $12::int, $13::text, $14::jsonb)) as v (property_id, i, n, type, payload)
         join seqs s on s.property_id = v.property_id
     ),
     audit as (insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     select $15::uuid, $16::timestamptz, $17::uuid, $18::varchar, $19::uuid, $20::varchar, $21::uuid, $22::jsonb, $23::jsonb, $24::varchar, $25::varchar
      where exists (select 1 from dom)),
     ack as (
       insert into command_result (id, user_id, type, ack, created_at)
       select $26::uuid, $27::uuid, $28::varchar, jsonb_set($29::jsonb, '{seq}', to_jsonb((select seq from seqs order by property_id desc limit 1))), $30::timestamptz
        where exists (select 1 from seqs)
     )
     select property_id, seq from seqs`,
  // The pipeline's one statement (statements-1): $1 to, $2 caller, $3 property, $4 room, $5/$6 the statuses a
  // caller with/without task.inspect may leave for $1, $7 the ready statuses (whether the front desk is to be told
  // is worked out as in the server's, its notice CTEs left out), then the records with the previous status and the
  // role filled in from `dom`.
  single: `with dom as (update room set status = $1, status_reason = null, version = version + 1
             from (select r.name as role, r.permissions from membership m join app_user u on u.id = m.user_id join role r on r.name = m.role_name
                    where m.user_id = $2 and m.property_id = $3 and u.active and 'room.setStatus' = any(r.permissions)) as caller, property pp
            where room.id = $4 and room.property_id = $3 and pp.id = room.property_id and room.deleted_at is null
              and room.status = any(case when 'task.inspect' = any(caller.permissions) then $5::varchar[] else $6::varchar[] end)
            returning old.status as previous, caller.role as actor_role,
              ($1 = any($7::varchar[]) and old.status <> all($7::varchar[]) and ${arrivalDue('room')}) as tell_desk),
     seqs as (
       insert into property_seq (property_id, seq) select * from (values ($3::uuid, 1::bigint)) as c where exists (select 1 from dom)
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning property_id, seq
     ), events as (
       insert into event_log (property_id, seq, type, payload, command_id, at)
       select s.property_id, s.seq, 'room.statusChanged', jsonb_set($8::jsonb, '{previousStatus}', to_jsonb((select previous from dom))), $9::uuid, $10::timestamptz
         from seqs s
     ),
     audit as (insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     select $11::uuid, $10::timestamptz, $2::uuid, (select actor_role from dom), $3::uuid, 'room.setStatus', $9::uuid, $12::jsonb,
            jsonb_set($13::jsonb, '{0,before,status}', to_jsonb((select previous from dom))), 'ok', null
      where exists (select 1 from dom)),
     ack as (
       insert into command_result (id, user_id, type, ack, created_at)
       select $9::uuid, $2::uuid, 'room.setStatus', jsonb_set(jsonb_set($14::jsonb, '{result,previousStatus}', to_jsonb((select previous from dom))), '{seq}', to_jsonb((select seq from seqs))), $10::timestamptz
        where exists (select 1 from seqs)
     )
     select property_id, seq, (select to_jsonb(w) from dom w) as returned from seqs`,
  lockRoom: 'select "r0".* from "room" as "r0" where "r0"."id" = $1 and "r0"."deleted_at" is null limit $2 for update',
  updateRoom: 'update "room" set "status" = $1, "version" = "version" + $2 where "id" = $3 and "version" = $4 returning "version"',
  seq: `insert into property_seq (property_id, seq) values ($1, $2)
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning seq`,
  event: 'insert into event_log (property_id, seq, type, payload, command_id, at) values ($1, $2, $3, $4::jsonb, $5, $6)',
  audit: `insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)`,
  ack: 'insert into command_result (id, user_id, type, ack, created_at) values ($1, $2, $3, $4::jsonb, $5)',
  // One statement for everything a committed command leaves behind: the shape server/src/pipeline/
  // commit-records.ts builds for one event of one property.
  records: `with seqs as (
       insert into property_seq (property_id, seq) values ($1::uuid, $2::bigint)
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning property_id, seq
     ), events as (
       insert into event_log (property_id, seq, type, payload, command_id, at)
       select s.property_id, s.seq - v.n + v.i, v.type, v.payload, $3::uuid, $4::timestamptz
         from (values ($5::uuid, $6::int, $7::int, $8::text, $9::jsonb)) as v (property_id, i, n, type, payload)
         join seqs s on s.property_id = v.property_id
     ),
     audit as (insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     values ($10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19, $20)),
     ack as (
       insert into command_result (id, user_id, type, ack, created_at)
       select $21::uuid, $22::uuid, $23::varchar, jsonb_set($24::jsonb, '{seq}', to_jsonb((select seq from seqs order by property_id desc limit 1))), $25::timestamptz
     )
     select property_id, seq from seqs`,
};

/**
 * Each statement prepared by name, so a connection parses and plans it once, as the server's hot statement is
 * (server/src/db/prepared.ts): the ceiling is the driver at its best.
 */
const named = (q: pg.Pool | pg.PoolClient, key: keyof typeof SQL, values: unknown[]) => q.query({ name: `raw_${key}`, text: SQL[key], values });

// Pools outlive a run, like the server's: connection setup stays out of the measured windows and the
// backends stay alive, so their CPU can be read from /proc.
const pools = new Map<string, pg.Pool>();
/**
 * The status this generator last moved each room to, per database, kept across runs: a run that started again
 * from the statuses its task read before the warm-up sent moves the rooms no longer allowed, and the first lap
 * over the rooms counted as RACED (50 at 100/s in scenario 1, 1,088 in one 20-property repetition).
 */
const movedTo = new Map<string, Map<string, string>>();

export async function runRawWorkload(task: RawTask) {
  const key = `${task.dbUrl}|${task.poolSize}`;
  const pool = pools.get(key) ?? new pg.Pool({ connectionString: task.dbUrl, max: task.poolSize, idleTimeoutMillis: 0 });
  pools.set(key, pool);
  const moved = movedTo.get(task.dbUrl) ?? new Map<string, string>();
  movedTo.set(task.dbUrl, moved);
  const rooms = task.rooms.map((r) => ({ ...r, status: moved.get(r.id) ?? r.status }));
  let k = 0;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};

  async function one() {
    const room = rooms[k++ % rooms.length]!;
    if (task.plan === 'statements-2') return fast(room, randomUUID(), new Date());
    if (task.plan === 'statements-1') return single(room, randomUUID(), new Date());
    const previous = room.status;
    const status = NEXT[previous] ?? 'dirty';
    room.status = status;
    const commandId = randomUUID();
    const now = new Date();
    const payload = JSON.stringify({ roomId: room.id, status, previousStatus: previous });
    const changes = JSON.stringify([{ type: 'room', id: room.id, before: { status: previous }, after: { status } }]);
    const entities = JSON.stringify([{ type: 'room', id: room.id }]);
    const result = { roomId: room.id, status, previousStatus: previous };
    if (task.plan === 'statements-11') {
      await named(pool, 'storedAck', [commandId]);
      const scope = await named(pool, 'scope', [room.id]);
      await named(pool, 'access', [task.userId, scope.rows[0].property_id]);
    } else {
      await named(pool, 'preflight', [commandId, room.id, task.userId]);
    }
    const c = await pool.connect();
    try {
      await c.query('begin');
      const locked = await named(c, 'lockRoom', [room.id, 1]);
      await named(c, 'updateRoom', [status, 1, room.id, locked.rows[0].version]);
      if (task.plan === 'statements-11') {
        const seq = await named(c, 'seq', [task.propertyId, 1]);
        const s = Number(seq.rows[0].seq);
        await named(c, 'event', [task.propertyId, s, 'room.statusChanged', payload, commandId, now]);
        await named(c, 'audit', [randomUUID(), now, task.userId, 'front_desk', task.propertyId, 'room.setStatus', commandId, entities, changes, 'ok', null]);
        await named(c, 'ack', [commandId, task.userId, 'room.setStatus', JSON.stringify({ ok: true, result, seq: s }), now]);
      } else {
        await named(c, 'records', [
          task.propertyId, 1, commandId, now, task.propertyId, 1, 1, 'room.statusChanged', payload,
          randomUUID(), now, task.userId, 'front_desk', task.propertyId, 'room.setStatus', commandId, entities, changes, 'ok', null,
          commandId, task.userId, 'room.setStatus', JSON.stringify({ ok: true, result }), now,
        ]);
      }
      await c.query('commit');
      moved.set(room.id, status);
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  /** Like the server: the move is planned from the status the preflight read (earlier plans moved the rooms). */
  async function fast(room: { id: string }, commandId: string, now: Date) {
    const pre = await named(pool, 'fastPreflight', [commandId, room.id, task.userId]);
    const previous = (pre.rows[0].seen as { status: string }).status;
    const status = NEXT[previous] ?? 'dirty';
    const payload = JSON.stringify({ roomId: room.id, status, previousStatus: previous });
    const changes = JSON.stringify([{ type: 'room', id: room.id, before: { status: previous }, after: { status } }]);
    const entities = JSON.stringify([{ type: 'room', id: room.id }]);
    const result = { roomId: room.id, status, previousStatus: previous };
    const res = await named(pool, 'fast', [
      status, null, room.id, task.propertyId, previous, task.propertyId, 1, commandId, now, task.propertyId, 1, 1, 'room.statusChanged', payload,
      randomUUID(), now, task.userId, 'front_desk', task.propertyId, 'room.setStatus', commandId, entities, changes, 'ok', null,
      commandId, task.userId, 'room.setStatus', JSON.stringify({ ok: true, result }), now,
    ]);
    // Another worker moved the room in between (the server would fall back to its unit of work).
    if (res.rowCount !== 1) throw Object.assign(new Error('room status changed under the raw plan'), { code: 'RACED' });
    moved.set(room.id, status);
  }

  let completed = 0;
  async function timed() {
    const t0 = performance.now();
    try {
      await one();
      completed++;
      latencies.push(performance.now() - t0);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ERROR';
      errors[code] = (errors[code] ?? 0) + 1;
    }
  }

  /**
   * The server's one statement. Like the server, it sends the move without reading the room first: the
   * generator tracks each room's status (its own rooms, one command per room in flight is not guaranteed, so a
   * move another worker made first applies to nothing and counts as RACED, where the server would take the
   * checked path).
   */
  async function single(room: { id: string; status: string; propertyId?: string }, commandId: string, now: Date) {
    const status = NEXT[room.status] ?? 'dirty';
    room.status = status;
    const [withInspect, without] = LEAVABLE[status]!;
    const res = await named(pool, 'single', [
      status, task.userId, room.propertyId ?? task.propertyId, room.id, withInspect, without, READY,
      JSON.stringify({ roomId: room.id, status, previousStatus: null }), commandId, now, randomUUID(),
      JSON.stringify([{ type: 'room', id: room.id }]), JSON.stringify([{ type: 'room', id: room.id, before: { status: null }, after: { status } }]),
      JSON.stringify({ ok: true, result: { roomId: room.id, status, previousStatus: null } }),
    ]);
    if (res.rowCount !== 1) throw Object.assign(new Error('room status changed under the raw plan'), { code: 'RACED' });
    moved.set(room.id, status);
  }

  const start = performance.now();
  const end = start + task.durationMs;
  if (task.rate) {
    // Scheduled like the socket generator's open loop (loadgen.ts runRate), so both tails compare.
    const interval = 1000 / task.rate;
    const total = Math.max(1, Math.round((task.rate * task.durationMs) / 1000));
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + i * interval;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      inFlight.push(timed());
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(Array.from({ length: task.concurrency }, async () => {
      while (performance.now() < end) await timed();
    }));
  }
  const elapsedMs = performance.now() - start;
  return { completed, elapsedMs, latencies, errors };
}
