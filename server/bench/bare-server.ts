// The ceiling: a bare Socket.IO server on the same transport code as the real one (uWS or Node ws),
// with an ack handler and a broadcast handler and nothing else: no auth, no database, no validation.
// Started by the bench as its own process, like the real server; speaks just enough of the contract
// (command -> ack with seq, then `event` to everyone) for the same load generators to drive it.
import { createTransport } from '../src/transport/index.ts';
import type { HttpResponse } from '../src/transport/types.ts';
import { benchDebugRoutes } from '../src/observability/bench-debug.ts';

const ROOM = 'property:bench';
const PROPERTY_ID = '00000000-0000-4000-8000-000000000000';
const debug = benchDebugRoutes();

const transport = await createTransport(process.env.TRANSPORT === 'node' ? 'node' : 'uws', {
  httpHandler: async (req): Promise<HttpResponse> => {
    const route = debug.find((r) => r.method === req.method && r.path === req.path);
    if (route) return route.handle(req);
    if (req.path === '/health') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };
    return { status: 404, body: 'not found' };
  },
  warn: (m) => console.warn(m),
});
const { io } = transport;
let seq = 0;
/**
 * Holds each answer this long (BARE_ACK_DELAY_MS), as a database round trip would: a closed loop then runs at the
 * real server's rate with the same commands in flight, so both are compared at the same load (issue 12's CPU budget).
 */
const ackDelayMs = Number(process.env.BARE_ACK_DELAY_MS ?? 0);

function answer(envelope: { payload?: unknown } | undefined, ack?: (a: unknown) => void) {
  const at = new Date().toISOString();
  const event = { seq: ++seq, propertyId: PROPERTY_ID, type: 'room.statusChanged', payload: envelope?.payload ?? null, at };
  if (typeof ack === 'function') ack({ ok: true, result: {}, seq: event.seq });
  io.to(ROOM).emit('event', event);
}

io.on('connection', (socket) => {
  socket.join(ROOM);
  socket.on('command', (envelope: { id?: string; type?: string; payload?: unknown }, ack?: (a: unknown) => void) => {
    if (ackDelayMs > 0) setTimeout(answer, ackDelayMs, envelope, ack);
    else answer(envelope, ack);
  });
});

const port = await transport.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.stdout.write(`bare Socket.IO server running at http://localhost:${port}  (transport: ${transport.kind})\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void transport.close().finally(() => process.exit(0)));
}
