// Values a fast command learns only from its own statement (pipeline/types.ts `FastWrite`): the handler places
// `returned('column')` in its event payloads, audit changes and result, and the records statement fills each from
// the domain write's row inside the same statement (the stored copies), then `fillReturned` fills the copies
// Node sends out (ack, broadcast) from the row the statement returned. One plan, no second copy of the records SQL.

/** The CTE the fast command's domain write runs as in the records statement (pipeline/commit-records.ts). */
export const WRITE_CTE = 'dom';

const COLUMN = /^[a-z_][a-z0-9_]*$/;

export class Returned {
  readonly column: string;

  constructor(column: string) {
    if (!COLUMN.test(column)) throw new Error(`not a plain column name: ${column}`);
    this.column = column;
  }

  /** Serialised as null; the statement writes the column's value over it (`jsonSql`). */
  toJSON(): null {
    return null;
  }
}

/**
 * A column of the row the fast write returns, standing in for a value of type T until the statement runs.
 * Filled into audit changes unmasked (the mask only sees the key), so use it for non-personal columns (a status).
 */
export function returned<T>(column: string): T {
  return new Returned(column) as unknown as T;
}

/** The value of a returned column, as SQL. */
const columnSql = (r: Returned) => `(select ${r.column} from ${WRITE_CTE})`;

/** A scalar parameter that may be `returned(...)`: `?::cast` or the column of the domain write's row. */
export function valueSql(value: unknown, cast: string): { sql: string; params: unknown[] } {
  return value instanceof Returned ? { sql: `${columnSql(value)}::${cast}`, params: [] } : { sql: `?::${cast}`, params: [value] };
}

/** A JSON parameter as a jsonb expression: `?::jsonb`, with every `returned(...)` inside set from the domain write's row. */
export function jsonSql(value: unknown): { sql: string; params: unknown[] } {
  const slots: Array<{ path: string[]; at: Returned }> = [];
  collect(value, [], slots);
  let sql = '?::jsonb';
  const params: unknown[] = [JSON.stringify(value)];
  for (const slot of slots) {
    sql = `jsonb_set(${sql}, ?::text[], coalesce(to_jsonb(${columnSql(slot.at)}), 'null'::jsonb))`;
    params.push(`{${slot.path.map((p) => `"${p.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  }
  return { sql, params };
}

/** Walks every value of every command's records; `path` is one stack, copied only where a slot is found. */
function collect(value: unknown, path: string[], slots: Array<{ path: string[]; at: Returned }>) {
  if (value instanceof Returned) {
    if (path.length === 0) throw new Error('a returned value must sit inside an object or array');
    slots.push({ path: [...path], at: value });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      collect(value[i], path, slots);
      path.pop();
    }
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const k of Object.keys(value)) {
      path.push(k);
      collect((value as Record<string, unknown>)[k], path, slots);
      path.pop();
    }
  }
}

/** `value` with every `returned(...)` replaced by that column of `row` (the domain write's row, as JSON). */
export function fillReturned<T>(value: T, row: Readonly<Record<string, unknown>>): T {
  if (value instanceof Returned) return row[value.column] as T;
  if (Array.isArray(value)) return value.map((v) => fillReturned(v, row)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillReturned(v, row)])) as T;
  }
  return value;
}
