import { pino, type DestinationStream, type Logger } from 'pino';
import { maskText } from './audit/outbox.ts';

/** Keys whose values are guest or user PII; pino replaces them wherever they appear in a log object. */
const PII_PATHS = [
  'email', '*.email', '*.*.email', 'phone', '*.phone', '*.*.phone', 'password', '*.password',
  'firstName', '*.firstName', '*.*.firstName', 'lastName', '*.lastName', '*.*.lastName',
  'documentNumber', '*.documentNumber', '*.*.documentNumber', 'token', '*.token', 'refreshToken', '*.refreshToken',
  'accessToken', '*.accessToken',
];

/**
 * Free text under any key (an error message quoting a booking note, a value logged by mistake) gets the audit
 * trail's masking of e-mails, phones and document numbers: key paths alone only catch values logged under their name.
 */
function maskLogged(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskText(value);
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return maskLogged(pino.stdSerializers.err(value), seen);
  if (Array.isArray(value)) return value.map((v) => maskLogged(v, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskLogged(v, seen)]));
}

/** `destination` lets tests read what would be written (stdout otherwise). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: PII_PATHS, censor: '[masked]' },
    base: { pid: process.pid },
    formatters: {
      // `err` is left to its serializer below, which runs after this and would re-wrap a masked copy as type "Object".
      log: (obj: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === 'err' && v instanceof Error ? v : maskLogged(v, new WeakSet())])),
    },
    serializers: { err: (e: unknown) => (e instanceof Error ? maskLogged(pino.stdSerializers.err(e), new WeakSet()) : e) },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        const [first] = args;
        const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
        // Without a message pino takes the error's raw message as the line's msg, past the formatter.
        const withMsg = err instanceof Error && typeof args[1] !== 'string' ? [first, err.message, ...args.slice(1)] : args;
        method.apply(this, withMsg.map((a) => (typeof a === 'string' ? maskText(a) : a)));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
