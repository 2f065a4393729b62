import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys whose values are guest or user PII; pino replaces them wherever they appear in a log object. */
const PII_PATHS = [
  'email', '*.email', '*.*.email', 'phone', '*.phone', '*.*.phone', 'password', '*.password',
  'firstName', '*.firstName', '*.*.firstName', 'lastName', '*.lastName', '*.*.lastName',
  'documentNumber', '*.documentNumber', '*.*.documentNumber', 'token', '*.token', 'refreshToken', '*.refreshToken',
  'accessToken', '*.accessToken',
];

/** `destination` lets tests read what would be written (stdout otherwise). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: PII_PATHS, censor: '[masked]' }, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
