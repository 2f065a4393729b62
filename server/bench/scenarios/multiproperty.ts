// Scenario 8: many properties. The demo hotel is copied into 19 more properties (rooms, room types and
// memberships) before the server starts; the same closed loop runs once on one property and once spread
// over all 20 (no single global lock means throughput grows), then an open loop at half the 20-property
// saturation gives the latency a spread, not saturated, load sees.
import { cell, figure, fmt, type BenchContext, type Figure, type ScenarioResult } from '../lib/context.ts';
import { measureWindow, perUnit, type Window } from '../lib/measure.ts';
import { loginAll, protocolCommands, STATUS_USERS } from '../lib/server-process.ts';
import { percentile, ratio } from '../lib/stats.ts';
import { startLoadgens, stopAll, type Loadgen } from '../lib/workers.ts';
import type { RunResult } from '../loadgen.ts';
import { rawFigures, runRaw, type RawRun } from '../lib/raw-figures.ts';
import { RAW_PLAN_USER, RAW_ROOMS_SQL } from '../raw-pg.ts';
import { POOL_SIZE } from './throughput.ts';

export const PROPERTIES = 20;
const GENERATORS = 2;

/**
 * Copies the demo hotel `count - 1` times in database `db` (generic over columns, so later migrations
 * need no change here): new ids, every room dirty, the demo hotel's members with the same roles.
 */
export async function cloneDemoHotel(ctx: BenchContext, db: string, count: number): Promise<string[]> {
  const [demo] = await ctx.pg.query<{ property_id: string }>(
    `select m.property_id from membership m join app_user u on u.id = m.user_id where u.email = 'frontdesk@innboard.demo'`, [], db);
  const ids = [demo!.property_id];
  for (let i = 1; i < count; i++) {
    const [row] = await ctx.pg.query<{ id: string }>('select gen_random_uuid()::text as id', [], db);
    const id = row!.id;
    const copy = (table: string, where: string, set: string) => ctx.pg.query(
      `insert into "${table}" select (jsonb_populate_record(null::"${table}", to_jsonb(x) || ${set})).* from "${table}" x where ${where}`, [ids[0], id], db);
    await copy('property', 'x.id = $1', `jsonb_build_object('id', $2::uuid, 'name', 'Bench Hotel ' || right($2::text, 6), 'slug', null)`);
    // Room types get ids derived from the old id and the new property, so rooms can point at them.
    await copy('room_type', 'x.property_id = $1', `jsonb_build_object('id', md5(x.id::text || $2::text)::uuid, 'property_id', $2::uuid)`);
    await copy('room', 'x.property_id = $1 and x.deleted_at is null',
      `jsonb_build_object('id', gen_random_uuid(), 'property_id', $2::uuid, 'room_type_id', md5(x.room_type_id::text || $2::text)::uuid, 'status', 'dirty', 'status_reason', null, 'version', 1)`);
    await copy('membership', 'x.property_id = $1', `jsonb_build_object('id', gen_random_uuid(), 'property_id', $2::uuid)`);
    ids.push(id);
  }
  return ids;
}

interface Case { label: string; properties: number; closed: Window<RunResult[]>[] }

export async function multiproperty(ctx: BenchContext): Promise<ScenarioResult> {
  const transport = ctx.opts.transports[0]!;
  const perGenerator = ctx.opts.quick ? 4 : 16;
  const concurrency = perGenerator * GENERATORS;
  const database = await ctx.freshDatabase();
  const propertyIds = await cloneDemoHotel(ctx, database.name, PROPERTIES);
  const { server } = await ctx.startReal(transport, `multiproperty-${transport}`, { database });
  const sessions = await loginAll(server.url, STATUS_USERS);
  const available = await protocolCommands(server.url);
  const gens: Loadgen[] = startLoadgens(GENERATORS);
  ctx.defer(() => stopAll(gens));
  const open = (ids: string[]) => Promise.all(gens.map((g, index) => g.run({
    kind: 'senders.open', url: server.url, tokens: sessions.map((s) => s.accessToken), sockets: sessions.length,
    propertyId: ids[0]!, propertyIds: ids, worker: { index, count: GENERATORS }, available,
  })));
  const closed = (durationMs: number) => Promise.all(gens.map((g) => g.run<RunResult>({ kind: 'closed', concurrency: perGenerator, durationMs })));
  const acked = (w: Window<RunResult[]>) => w.result.reduce((a, r) => a + r.acked, 0);
  const errorsOf = (rs: RunResult[]) => rs.reduce((a, r) => a + r.timeouts + Object.values(r.errors).reduce((x, y) => x + y, 0), 0);

  const cases: Case[] = [{ label: 'one property', properties: 1, closed: [] }, { label: `${PROPERTIES} properties`, properties: PROPERTIES, closed: [] }];
  for (const c of cases) {
    await open(propertyIds.slice(0, c.properties));
    ctx.log(`multiproperty ${c.label}: warm-up`);
    await closed(ctx.opts.warmupMs);
    for (let r = 0; r < ctx.opts.reps; r++) c.closed.push(await measureWindow(ctx, server, database.name, () => closed(ctx.opts.repMs), { wal: true }));
    if (c.properties === 1) await Promise.all(gens.map((g) => g.run({ kind: 'senders.close' })));
  }
  const figs = cases.map((c) => {
    const k = `multiproperty.${c.properties}`;
    return {
      c,
      tput: figure(`${k}.commandsPerSecond`, 'cmd/s', c.closed.map((w) => acked(w) / (Math.max(...w.result.map((r) => r.elapsedMs)) / 1000))),
      p50: figure(`${k}.closedP50`, 'ms', c.closed.map((w) => percentile(w.result.flatMap((r) => r.latencies), 50))),
      p99: figure(`${k}.closedP99`, 'ms', c.closed.map((w) => percentile(w.result.flatMap((r) => r.latencies), 99))),
      cpu: figure(`${k}.serverCpuPerCommand`, 'ms', c.closed.map((w) => perUnit(w.serverCpuMs, acked(w)))),
      pgCpu: figure(`${k}.pgCpuPerCommand`, 'ms', c.closed.map((w) => perUnit(w.pgCpuMs, acked(w)))),
      stmts: figure(`${k}.statementsPerCommand`, 'count', c.closed.map((w) => perUnit(w.statements, acked(w)))),
      wal: figure(`${k}.walBytesPerCommand`, 'B', c.closed.map((w) => perUnit(w.walBytes, acked(w)))),
      errors: figure(`${k}.errors`, 'count', c.closed.map((w) => errorsOf(w.result))),
    };
  });
  const [one, many] = figs as [(typeof figs)[number], (typeof figs)[number]];
  const growth = ratio(many.tput.median, one.tput.median);

  // Half of the 20-property saturation, open loop, spread over every property (the senders are still open on all 20).
  const halfRate = Math.max(10, Math.round((many.tput.median ?? 20) / 2));
  const rate = (durationMs: number) => Promise.all(gens.map((g) => g.run<RunResult>({ kind: 'rate', rate: halfRate / GENERATORS, durationMs })));
  ctx.log(`multiproperty open loop ${halfRate}/s: warm-up`);
  await rate(ctx.opts.warmupMs);
  const openReps: Window<RunResult[]>[] = [];
  for (let r = 0; r < ctx.opts.reps; r++) openReps.push(await measureWindow(ctx, server, database.name, () => rate(ctx.opts.repMs), { loop: true, dispatch: true, wal: true }));
  await Promise.all(gens.map((g) => g.run({ kind: 'senders.close' })));

  // The driver alone at the same rate over the same 20 properties' rooms (interleaved like the generators'), the
  // server idle beside it: the tail PostgreSQL and this machine give the pipeline's one statement without a socket.
  const perProperty = await Promise.all(propertyIds.map(async (propertyId) =>
    (await ctx.pg.query<{ id: string; status: string }>(RAW_ROOMS_SQL, [propertyId], database.name)).map((r) => ({ ...r, propertyId }))));
  const rawRooms = Array.from({ length: Math.max(...perProperty.map((l) => l.length)) }, (_, i) => perProperty.flatMap((l) => (l[i] ? [l[i]!] : [])));
  const rawTask = {
    kind: 'raw' as const, dbUrl: database.url, plan: 'statements-1' as const, concurrency: 1, poolSize: POOL_SIZE, propertyId: propertyIds[0]!,
    userId: sessions[STATUS_USERS.indexOf(RAW_PLAN_USER)]!.user.id, rooms: rawRooms.flat(), rate: halfRate,
  };
  ctx.log(`multiproperty raw statements-1 ${halfRate}/s: warm-up`);
  await runRaw(gens[0]!, { ...rawTask, durationMs: ctx.opts.warmupMs });
  const rawReps: Window<RawRun>[] = [];
  for (let r = 0; r < ctx.opts.reps; r++) rawReps.push(await measureWindow(ctx, server, database.name, () => runRaw(gens[0]!, { ...rawTask, durationMs: ctx.opts.repMs }), { wal: true }));
  const raw = rawFigures('multiproperty.half.raw', 'achievedRate', rawReps);
  await stopAll(gens);
  const openFig = (key: string, p: number): Figure => figure(`multiproperty.half.${key}`, 'ms', openReps.map((w) => percentile(w.result.flatMap((r) => r.latencies), p)));
  const halfP50 = openFig('p50', 50);
  const halfP99 = openFig('p99', 99);
  const halfAchieved = figure('multiproperty.half.achievedRate', 'cmd/s', openReps.map((w) => acked(w) / (Math.max(...w.result.map((r) => r.elapsedMs)) / 1000)));
  const halfErrors = figure('multiproperty.half.errors', 'count', openReps.map((w) => errorsOf(w.result)));
  // WAL per command, cluster-wide: each commit's flush waits for it, and the relay's shipping is part of it.
  const halfWal = figure('multiproperty.half.walBytesPerCommand', 'B', openReps.map((w) => perUnit(w.walBytes, acked(w))));
  const rawWal = figure('multiproperty.half.raw.walBytesPerCommand', 'B', rawReps.map((w) => perUnit(w.walBytes, w.result.completed)));
  // The server's own loop delay and GC in those windows (scenario 1 explains the columns).
  const loopP99 = figure('multiproperty.half.loopDelayP99', 'ms', openReps.map((w) => w.loop?.p99 ?? null));
  const loopMax = figure('multiproperty.half.loopDelayMax', 'ms', openReps.map((w) => w.loop?.max ?? null));
  const gcMax = figure('multiproperty.half.gcPauseMax', 'ms', openReps.map((w) => w.loop?.gc.maxMs ?? null));
  // How late the generators sent on schedule: their sockets are members of every property and decode each event.
  const lag = figure('multiproperty.half.generatorLagP99', 'ms', openReps.map((w) => Math.max(...w.result.map((r) => r.lagP99))));
  // The dispatcher's own p99 (receipt to answer, the statement included) from the server's histogram.
  const dispatchP99 = figure('multiproperty.half.dispatchP99', 'ms', openReps.map((w) => w.dispatch?.p99Ms ?? null));

  return {
    id: 'multiproperty',
    title: `8. ${PROPERTIES} properties: throughput vs properties and latency at half saturation (${server.transport})`,
    status: 'ok',
    figures: [
      ...figs.flatMap((f) => [f.tput, f.p50, f.p99, f.cpu, f.pgCpu, f.stmts, f.wal, f.errors]), figure('multiproperty.growth', 'x', [growth]), halfP50, halfP99, halfAchieved, halfErrors, halfWal, loopP99, loopMax, gcMax, lag, dispatchP99,
      raw.p50, raw.p95, raw.p99, raw.completedRate, raw.errors, raw.driverCpu, raw.pgCpu, rawWal,
    ],
    tables: [{
      title: `room.setStatus, closed loop ${concurrency} in flight over the rooms of 1 or ${PROPERTIES} properties (interleaved); ${PROPERTIES}/1 throughput ${fmt(growth)}x`,
      columns: ['properties', 'commands/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU/cmd ms', 'PG CPU/cmd ms', 'statements/cmd', 'WAL/cmd bytes'],
      rows: figs.map((f) => [f.c.label, cell(f.tput, 0), cell(f.p50), cell(f.p99), cell(f.errors, 0), cell(f.cpu, 3), cell(f.pgCpu, 3), cell(f.stmts, 1), cell(f.wal, 0)]),
    }, {
      title: `Open loop at half the ${PROPERTIES}-property saturation (${halfRate}/s offered, spread over ${PROPERTIES} properties)`,
      columns: ['', 'offered/s', 'achieved/s', 'p50 ms', 'p99 ms', 'errors', 'WAL/cmd bytes', 'dispatcher p99 ms', 'server loop delay p99 / max ms', 'GC pause max ms', 'generator lag p99 ms'],
      rows: [
        ['Innboard', String(halfRate), cell(halfAchieved, 0), cell(halfP50), cell(halfP99), cell(halfErrors, 0), cell(halfWal, 0), cell(dispatchP99), `${cell(loopP99, 1)} / ${cell(loopMax, 1)}`, cell(gcMax, 1), cell(lag)],
        ['raw pg, 1 statement (server idle)', String(halfRate), cell(raw.completedRate, 0), cell(raw.p50), cell(raw.p99), cell(raw.errors, 0), cell(rawWal, 0), '', '', '', ''],
      ],
    }],
    targets: [
      { target: `throughput grows with properties (${PROPERTIES} vs 1, same concurrency)`, measured: `${fmt(growth)}x (${cell(many.tput, 0)} vs ${cell(one.tput, 0)} cmd/s)`, met: growth === null ? null : growth >= 1.1 },
      { target: `${PROPERTIES} properties: p99 <= 10 ms at 50 % of saturation`, measured: `${cell(halfP99)} ms at ${halfRate}/s (p50 ${cell(halfP50)} ms; the dispatcher's own p99 ${cell(dispatchP99)} ms; raw pg alone at that rate ${cell(raw.p50)} / ${cell(raw.p99)} ms; server loop delay p99 ${cell(loopP99, 1)} ms, max ${cell(loopMax, 1)} ms, longest GC ${cell(gcMax, 1)} ms; generator lag p99 ${cell(lag)} ms)`, met: halfP99.median === null ? null : halfP99.median <= 10 },
    ],
    load: [],
    details: { transport: server.transport, concurrency, properties: PROPERTIES, halfRate },
  };
}
