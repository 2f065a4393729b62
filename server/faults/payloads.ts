// Valid payloads generated from the protocol: a first guess from the JSON schema (ids chosen by the caller,
// strings matching their pattern through fast-check), then repaired against the zod schema itself until it
// parses. Without the repair a probe stops at VALIDATION and never reaches the scope or property checks.
import fc from 'fast-check';
import type { z } from 'zod';

export type Schema = {
  type?: string | string[]; format?: string; enum?: unknown[]; const?: unknown; properties?: Record<string, Schema>; required?: string[];
  items?: Schema; minItems?: number; maxItems?: number; minimum?: number; exclusiveMinimum?: number; maximum?: number; minLength?: number; maxLength?: number;
  anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; pattern?: string;
};

const EARLY = '2027-03-10';
const LATE = '2027-03-13';
/** Fields that must come after another date of the payload (departure after arrival, `to` after `from`). */
const LATER_FIELD = /^(departure|to|until|end|endDate|toDate|checkOut)$|(To|Until|End)$/;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The table a field like `roomTypeId` / `ratePlanIds` names (`room_type`, `rate_plan`). */
export const tableOf = (field: string) => snake(field.replace(/Ids?$/, ''));

let seed = 20261206;
/** One string matching the pattern (deterministic: the seed advances per call). */
function matching(pattern: string, minLength = 0, maxLength = 64): string {
  const re = new RegExp(pattern);
  const arb = fc.stringMatching(re).filter((s) => s.length >= minLength && s.length <= maxLength);
  return fc.sample(arb, { numRuns: 1, seed: seed++ })[0]!;
}

/** A value for the schema; `idFor(field)` gives every uuid. `minimal` leaves optional fields out. */
export function sample(schema: Schema, field: string, idFor: (field: string) => string, minimal = false): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return sample(alt.find((s) => s.type !== 'null') ?? alt[0]!, field, idFor, minimal);
  if (schema.allOf) return sample(schema.allOf[0]!, field, idFor, minimal);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) {
        if (!minimal || schema.required?.includes(k)) out[k] = sample(v, k, idFor, minimal);
      }
      return out;
    }
    case 'array': return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}, field.replace(/s$/, ''), idFor, minimal));
    case 'integer': case 'number': {
      // The least the schema allows (children 0, adults 1): the likeliest to pass the business rules too.
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(low, schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean': return false;
    case 'string':
      if (schema.format === 'uuid' || /Id$/.test(field)) return idFor(field);
      if (schema.format === 'date' || /^\^\\d\{4\}/.test(schema.pattern ?? '')) return LATER_FIELD.test(field) ? LATE : EARLY;
      if (schema.format === 'date-time') return `${LATER_FIELD.test(field) ? LATE : EARLY}T10:00:00.000Z`;
      if (schema.format === 'email') return 'probe@example.com';
      if (schema.pattern) return matching(schema.pattern, schema.minLength, schema.maxLength);
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default: return null;
  }
}

type Path = ReadonlyArray<PropertyKey>;
const clone = <T>(v: T): T => structuredClone(v);

function at(root: unknown, path: Path): { parent: Record<PropertyKey, unknown>; key: PropertyKey } | null {
  if (path.length === 0) return null;
  let node = root as Record<PropertyKey, unknown>;
  for (const k of path.slice(0, -1)) {
    node = node?.[k] as Record<PropertyKey, unknown>;
    if (node === null || typeof node !== 'object') return null;
  }
  return { parent: node, key: path[path.length - 1]! };
}

const shiftDate = (v: string, days: number) => {
  const d = new Date(`${v.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) + v.slice(10);
};

/** Replacement values to try for a field the schema refused, most meaningful first; deleting it is the last resort. */
function candidates(issue: z.core.$ZodIssue, current: unknown): Array<unknown | typeof DELETE> {
  const out: Array<unknown | typeof DELETE> = [];
  const pattern = (issue as { pattern?: string }).pattern;
  if (issue.code === 'invalid_format' && typeof pattern === 'string') {
    const source = pattern.startsWith('/') ? pattern.slice(1, pattern.lastIndexOf('/')) : pattern;
    for (let i = 0; i < 3; i++) out.push(matching(source));
  }
  if (typeof current === 'string' && /^\d{4}-\d{2}-\d{2}/.test(current)) out.push(shiftDate(current, 3), shiftDate(current, -3));
  if (typeof current === 'number') out.push(0, 2, 10, 100, 0.5);
  if (typeof current === 'string') out.push('ab', 'probe text', 'AB12');
  if (typeof current === 'boolean') out.push(!current);
  out.push(DELETE);
  return out;
}
const DELETE = Symbol('delete');

/**
 * Repairs `payload` until `schema` accepts it: each round tries replacements for the first refused field
 * and keeps the first that leaves fewer issues. Returns the best payload found (it may still be invalid:
 * a refinement across fields the search cannot satisfy; the caller counts those as inherent).
 */
export function repair(schema: z.ZodType, payload: unknown): { payload: unknown; valid: boolean } {
  let best = clone(payload);
  let result = schema.safeParse(best);
  for (let round = 0; round < 25 && !result.success; round++) {
    let improved = false;
    for (const issue of result.error.issues) {
      const spot = at(best, issue.path);
      if (!spot) continue;
      for (const value of candidates(issue, spot.parent[spot.key])) {
        const trial = clone(best);
        const s = at(trial, issue.path)!;
        if (value === DELETE) delete s.parent[s.key];
        else s.parent[s.key] = value;
        const r = schema.safeParse(trial);
        if (r.success || r.error.issues.length < result.error!.issues.length) {
          best = trial;
          result = r;
          improved = true;
          break;
        }
      }
      if (improved) break;
    }
    if (!improved) break;
  }
  return { payload: best, valid: result.success };
}
