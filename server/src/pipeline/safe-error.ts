// What an unexpected error may put in the log. MikroORM and pg inline the statement's values into
// messages ("insert into guest ... values ('ada@example.com', ...)", "Key (email)=(ada@...)"), so a
// raw error object would write guest names and e-mails into every log sink. Only a fixed set of
// fields is copied and every literal in the message is replaced.

export interface SafeError {
  name: string;
  message: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** Stack frames only: the stack's first line repeats the raw message. */
  stack?: string;
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Replaces quoted strings, value lists and numbers in an SQL-bearing message with `?`. */
export function scrubMessage(message: string): string {
  return message
    .replace(/E?'(?:[^']|'')*'/g, "'?'") // SQL string literals ('' escapes included)
    .replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, '$?$') // dollar-quoted literals
    .replace(/\)=\([^)]*\)/g, ')=(?)') // pg detail: Key (email)=(ada@example.com)
    .replace(/(Failing row contains )\([\s\S]*?\)(?=\.?(?:\s|$))/g, '$1(?)')
    .replace(/(?<![\w"$])-?\d+(?:\.\d+)?(?![\w"])/g, '?') // numbers (amounts, document numbers)
    .replace(EMAIL, '?');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export function toSafeError(err: unknown): SafeError {
  if (!(err instanceof Error)) return { name: typeof err, message: scrubMessage(String(err)) };
  const e = err as Error & Record<string, unknown>;
  const safe: SafeError = { name: e.name, message: scrubMessage(e.message) };
  // MikroORM keeps the driver's SQLSTATE in `code`; Node system errors use `code` too (ECONNRESET).
  for (const key of ['code', 'constraint', 'table', 'column'] as const) {
    const value = text(e[key]) ?? text(e[key === 'code' ? 'sqlState' : key]);
    if (value) safe[key] = value;
  }
  const frames = e.stack?.split('\n').filter((line) => /^\s+at /.test(line));
  if (frames?.length) safe.stack = frames.join('\n');
  return safe;
}
