import { pino, type Logger } from 'pino';

/** Keys whose values are guest or user PII; pino replaces them wherever they appear in a log object. */
const PII_PATHS = [
  'email', '*.email', '*.*.email', 'phone', '*.phone', '*.*.phone', 'password', '*.password',
  'firstName', '*.firstName', '*.*.firstName', 'lastName', '*.lastName', '*.*.lastName',
  'documentNumber', '*.documentNumber', '*.*.documentNumber', 'token', '*.token', 'refreshToken', '*.refreshToken',
  'accessToken', '*.accessToken',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: PII_PATHS, censor: '[masked]' }, base: { pid: process.pid } });
}
export type { Logger };
