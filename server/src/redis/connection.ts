// The node's Redis connections. Redis is an accelerator, never the source of truth: every caller
// must keep working (more slowly, or node-locally) while it is unreachable, so nothing here may
// throw into the process or queue work without bound during an outage.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * ioredis client with a no-op rejection handler on every command's promise: socket.io's redis
 * adapters fire SSUBSCRIBE/SUNSUBSCRIBE (the classic one also PUBLISH) without awaiting them, and on
 * Node 24 one unhandled rejection ends the process. A safety net only: callers that await still see
 * the error (the handler is attached to the same promise).
 */
export class ResilientRedis extends Redis {
  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    const result = super.sendCommand(...args);
    args[0].promise?.catch(() => {});
    return result;
  }
}

export interface RedisHub {
  /** Cache, counters, rate limits: fails fast while disconnected (no offline queue). */
  readonly command: ResilientRedis;
  /** Adapter publish: also fails fast, so an outage drops fan-out (boards catch up by seq) instead of buffering it. */
  readonly pub: ResilientRedis;
  /** Adapter subscriptions: queued while disconnected and replayed on reconnect, so no room is left unsubscribed. */
  readonly sub: ResilientRedis;
  readonly prefix: string;
  key(...parts: string[]): string;
  isUp(): boolean;
  /** PING on the command connection: 'up' or 'down' for /health. */
  health(): Promise<'up' | 'down'>;
  /** Runs `fn` each time the command connection is ready again after having been lost. */
  onRecovered(fn: () => void): void;
  close(): void;
}

export async function connectRedis(url: string, prefix: string, logger: Logger, readyTimeoutMs = 3000): Promise<RedisHub> {
  const base = {
    // Reconnect forever, at most every 2 s: an outage ends when Redis is back, not when we give up.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
    connectionName: `innboard-${process.pid}`,
  };
  const command = new ResilientRedis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  // commandTimeout: socket.io delivers a broadcast to this node's own sockets only after the publish
  // settles, so a hung Redis must not hold local delivery for longer than this.
  const pub = new ResilientRedis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  const sub = new ResilientRedis(url, { ...base, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });

  let up = false;
  let everLost = false;
  const recovered: Array<() => void> = [];
  // One warning per outage, not one per reconnect attempt.
  for (const [name, client] of [['command', command], ['pub', pub], ['sub', sub]] as const) {
    let warned = false;
    client.on('error', (err: Error) => {
      if (!warned) logger.warn({ err: err.message, client: name }, 'redis unavailable; serving this node\'s clients only until it returns');
      warned = true;
    });
    client.on('ready', () => {
      if (warned) logger.info({ client: name }, 'redis connection restored');
      warned = false;
    });
  }
  command.on('ready', () => {
    up = true;
    if (everLost) for (const fn of recovered) fn();
  });
  command.on('close', () => {
    if (up) everLost = true;
    up = false;
  });

  // Start even when Redis is down: the node serves its own clients and joins the cluster later.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, readyTimeoutMs);
    command.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    command, pub, sub, prefix,
    key: (...parts) => [prefix, ...parts].join(':'),
    isUp: () => up,
    async health() {
      try {
        return (await command.ping()) === 'PONG' ? 'up' : 'down';
      } catch {
        return 'down';
      }
    },
    onRecovered: (fn) => void recovered.push(fn),
    close() {
      // disconnect(), not quit(): quit waits for a reply that never comes while Redis is down.
      for (const c of [command, pub, sub]) c.disconnect();
    },
  };
}
