// Scenario 8: three POS terminals adding lines to one order (issue 10), 50 lines/s in all and, as a
// stress row, 50 lines/s each. Figures: a line's round trip (send -> ack) and the time until every
// terminal of the outlet has its pos.order.lineAdded, beside a bare Socket.IO server that acks and
// broadcasts the same traffic with no database (the ceiling).
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { cell, figure, fmt, type BenchContext, type Figure, type ScenarioResult } from '../lib/context.ts';
import { loginAll, protocolCommands, type ServerProcess } from '../lib/server-process.ts';
import { nowMs, percentile, ratio, sleep } from '../lib/stats.ts';

const TERMINALS = 3;
type Ack = { ok: true; result?: { lineId?: string; outletId?: string; orderId?: string; productId?: string; terminalId?: string } } | { ok: false; error: { code: string; message: string } };
type Event = { type: string; payload: { line?: { lineId: string }; k?: string } };

function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

const send = (s: Socket, type: string, payload: unknown) => s.timeout(30_000).emitWithAck('command', { id: randomUUID(), type, payload }) as Promise<Ack>;

async function must(s: Socket, type: string, payload: unknown) {
  const ack = await send(s, type, payload);
  if (!ack.ok) throw new Error(`${type} failed: ${ack.error.code} ${ack.error.message}`);
  return ack.result!;
}

interface Rep { roundTripP50: number | null; roundTripP99: number | null; allSeeP50: number | null; allSeeP99: number | null; lines: number; failed: number }

/**
 * Each terminal sends its share of `rate` lines/s for `ms`; every terminal timestamps every line
 * event it receives. `keyOf` names a line in the ack and in the event (lineId, or the bare marker).
 */
async function drive(terminals: Socket[], rate: number, ms: number, command: (k: string) => { type: string; payload: unknown }, keyOfAck: (a: Ack, k: string) => string | null, keyOfEvent: (e: Event) => string | null): Promise<Rep> {
  const sentAt = new Map<string, number>();
  const seen = new Map<string, number[]>();
  const listeners = terminals.map((t) => {
    const fn = (e: Event) => {
      const key = keyOfEvent(e);
      if (key) (seen.get(key) ?? seen.set(key, []).get(key)!).push(nowMs());
    };
    t.on('event', fn);
    return fn;
  });
  const roundTrips: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const perTerminal = rate / terminals.length;
  const count = Math.round((perTerminal * ms) / 1000);
  const start = nowMs();
  await Promise.all(terminals.map(async (t, ti) => {
    for (let i = 0; i < count; i++) {
      // Paced by schedule, not by acks: a slow ack does not slow the waiter down.
      const due = start + ((i + ti / terminals.length) * 1000) / perTerminal;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      const k = randomUUID();
      const cmd = command(k);
      const t0 = nowMs();
      pending.push(send(t, cmd.type, cmd.payload).then((ack) => {
        const rt = nowMs() - t0;
        const key = keyOfAck(ack, k);
        if (!key) return void failed++;
        roundTrips.push(rt);
        sentAt.set(key, t0);
      }));
    }
  }));
  await Promise.all(pending);
  await sleep(500);
  terminals.forEach((t, i) => t.off('event', listeners[i]!));
  const allSee: number[] = [];
  for (const [key, t0] of sentAt) {
    const arrivals = seen.get(key) ?? [];
    if (arrivals.length >= terminals.length) allSee.push(Math.max(...arrivals) - t0);
    else failed++;
  }
  return { roundTripP50: percentile(roundTrips, 50), roundTripP99: percentile(roundTrips, 99), allSeeP50: percentile(allSee, 50), allSeeP99: percentile(allSee, 99), lines: sentAt.size, failed };
}

interface Side { roundTripP50: Figure; roundTripP99: Figure; allSeeP50: Figure; allSeeP99: Figure; failed: Figure }

async function measure(ctx: BenchContext, label: string, rate: number, run: (ms: number) => Promise<Rep>): Promise<Side> {
  await run(ctx.opts.warmupMs);
  const reps: Rep[] = [];
  for (let r = 0; r < ctx.opts.reps; r++) {
    ctx.noteLoad();
    reps.push(await run(ctx.opts.quick ? 2000 : 10_000));
  }
  const f = (k: keyof Rep, unit = 'ms') => figure(`pos.${label}.${rate}.${k}`, unit, reps.map((x) => x[k]));
  return { roundTripP50: f('roundTripP50'), roundTripP99: f('roundTripP99'), allSeeP50: f('allSeeP50'), allSeeP99: f('allSeeP99'), failed: f('failed', 'count') };
}

async function realTerminals(server: ServerProcess) {
  const [manager, ...cashiers] = await loginAll(server.url, ['manager@innboard.demo', ...Array(TERMINALS).fill('pos@innboard.demo')]);
  const propertyId = manager!.user.memberships[0]!.propertyId;
  const boss = await connect(server.url, manager!.accessToken);
  const { outletId } = await must(boss, 'pos.outlet.create', { propertyId, name: 'Bench Bistro', kind: 'restaurant', taxRate: 700, openingHours: null, voidLimit: 0 });
  const { productId } = await must(boss, 'pos.product.create', { outletId, name: 'Espresso', category: 'Drinks', price: 290 });
  const terminalIds: string[] = [];
  for (let i = 0; i < TERMINALS; i++) terminalIds.push((await must(boss, 'pos.terminal.register', { outletId, name: `Bench ${i + 1}` })).terminalId!);
  boss.close();
  const terminals = await Promise.all(cashiers.map((c) => connect(server.url, c.accessToken)));
  return { terminals, outletId: outletId!, productId: productId!, terminalIds };
}

export async function pos(ctx: BenchContext): Promise<ScenarioResult> {
  const title = '8. POS: 3 terminals adding lines to one order';
  const transport = ctx.opts.transports[0]!;
  const { server } = await ctx.startReal(transport, `pos-${transport}`);
  if (!(await protocolCommands(server.url)).includes('pos.order.addLine')) {
    return { id: 'pos', title, status: 'skipped', reason: 'pos.order.addLine is not offered by this server (GET /api/protocol)', figures: [], tables: [], targets: [], load: [] };
  }
  const real = await realTerminals(server);
  ctx.defer(async () => { for (const t of real.terminals) t.close(); });
  const lineOf = (e: Event) => (e.type === 'pos.order.lineAdded' ? e.payload.line?.lineId ?? null : null);
  const runReal = (rate: number) => async (ms: number) => {
    const { orderId } = await must(real.terminals[0]!, 'pos.order.open', { outletId: real.outletId, table: 'bench' });
    let i = 0;
    return drive(real.terminals, rate, ms,
      () => ({ type: 'pos.order.addLine', payload: { orderId, productId: real.productId, quantity: 1, terminalId: real.terminalIds[i++ % TERMINALS] } }),
      (ack) => (ack.ok ? ack.result?.lineId ?? null : null), lineOf);
  };
  const rates = [50, 150];
  const innboard: Side[] = [];
  for (const rate of rates) innboard.push(await measure(ctx, 'innboard', rate, runReal(rate)));
  for (const t of real.terminals) t.close();
  await server.stop();

  const bareServer = await ctx.startBare(transport, `pos-bare-${transport}`);
  const bareTerminals = await Promise.all(Array.from({ length: TERMINALS }, () => connect(bareServer.url, 'bare')));
  ctx.defer(async () => { for (const t of bareTerminals) t.close(); });
  const runBare = (rate: number) => (ms: number) => drive(bareTerminals, rate, ms,
    (k) => ({ type: 'pos.order.addLine', payload: { k } }), (ack, k) => (ack.ok ? k : null), (e) => e.payload?.k ?? null);
  const bare: Side[] = [];
  for (const rate of rates) bare.push(await measure(ctx, 'bare', rate, runBare(rate)));

  const row = (name: string, rate: number, s: Side) => [name, `${rate}`, cell(s.roundTripP50), cell(s.roundTripP99), cell(s.allSeeP50), cell(s.allSeeP99), cell(s.failed, 0)];
  const seeRatio = ratio(innboard[0]!.allSeeP99.median, bare[0]!.allSeeP99.median);
  return {
    id: 'pos',
    title,
    status: 'ok',
    figures: [...innboard, ...bare].flatMap((s) => Object.values(s)),
    tables: [{
      title: `${TERMINALS} terminals (sockets of one cashier) on one order of an always-open outlet; lines/s in all, paced by schedule; a new order per repetition`,
      columns: ['server', 'lines/s', 'round trip p50 ms', 'round trip p99 ms', 'all terminals see it p50 ms', 'all terminals see it p99 ms', 'failed/missing'],
      rows: rates.flatMap((rate, i) => [row('Innboard', rate, innboard[i]!), row('bare Socket.IO', rate, bare[i]!)]),
      notes: ['"all terminals see it": from the moment the sending terminal emitted the command until the last of the three received the line event (the sender included).'],
    }],
    targets: [{
      target: 'a line is on every terminal of the outlet before the waiter turns around (p99 at 50 lines/s < 250 ms)',
      measured: `${cell(innboard[0]!.allSeeP99)} ms (bare ${cell(bare[0]!.allSeeP99)} ms, ${fmt(seeRatio)}x)`,
      met: innboard[0]!.allSeeP99.median === null ? null : innboard[0]!.allSeeP99.median < 250,
    }],
    load: [],
    details: { transport: server.transport },
  };
}
