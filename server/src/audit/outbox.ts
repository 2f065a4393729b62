import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityChange } from '../pipeline/types.ts';
import { jsonSql, Returned, valueSql } from '../pipeline/returned.ts';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  propertyId: string | null;
  commandType: string;
  commandId: string | null;
  changes: EntityChange[];
  outcome: AuditOutcome;
  errorCode?: string;
}

/**
 * Field names whose values are personal data, compared case- and separator-insensitively
 * (`first_name`, `firstName`, `FirstName` alike). Masked before the row is written, so PII never
 * reaches the outbox, let alone a sink.
 */
const PII_KEYS = new Set([
  'firstname', 'lastname', 'fullname', 'guestname', 'middlename', 'maidenname', 'email', 'emailaddress', 'guestemail', 'phone',
  'phonenumber', 'mobile', 'mobilephone', 'telephone', 'fax', 'document', 'documentnumber', 'documentno', 'passport',
  'passportnumber', 'idnumber', 'nationalid', 'idcard', 'driverslicense', 'taxid', 'vatid', 'address', 'street', 'addressline1',
  'addressline2', 'postalcode', 'zip', 'dateofbirth', 'birthdate', 'dob', 'iban', 'cardnumber', 'pan', 'cvc', 'cvv', 'licenseplate',
]);
/** Entities whose plain `name` is a person's name (a room type's name is not PII). */
const PERSON_ENTITIES = new Set(['guest', 'contact', 'companion', 'booker', 'user']);
// Every pattern below bounds its repetitions (an address's parts by their RFC lengths, a phone by 26 characters):
// unbounded, a long run without spaces ("1.1.1.1...", a 100 kB token) cost seconds of CPU per string, quadratic
// in its length, in the command's transaction or on every log line.
/** An e-mail address inside free text; no slash on either side, so a package path in a stack (`.pnpm/kysely@0.29.6/dist/x.js`) is not one. */
const EMAIL_IN_TEXT = /[^\s@<>()"',;:/]{1,64}@[^\s@<>()"',;:/]{1,252}\.[a-z]{2,24}/gi;
/**
 * A phone number inside free text ("call +49 170 5550123"): a run of digits and separators holding at least
 * 7 digits. Not inside a word or an id: digit runs in UUIDs (1f26-4f53-8529-48c2) are not phone numbers.
 */
const PHONE_IN_TEXT = /(?<![\w-])\+?\(?\d[\d ()./-]{5,24}\d(?![\w-])/g;
/** Runs the phone pattern also takes that stay readable: dates (2027-03-10, 10.03.2027) and amounts (12500.00, 1 250 000.00). */
const NOT_A_PHONE = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|^\d{1,3}(?:[ ,]\d{3})*\.\d{2}$|^\d+\.\d{2}$/;
/**
 * A passport or ID document number inside free text ("passport C01X00T47 on file"): a standalone token of
 * 6-20 letters and digits with at least 5 digits and a letter (all-digit ones of 7+ are taken as phones).
 * A token touching a hyphen, dot, slash or colon is part of something else (UUID, date, INV-000123, file.ts:120),
 * and 8 hex characters alone are the board's booking reference (the id's first 8, "Booking 4F53A8B0"), so those,
 * offer codes (WELCOME10, SUMMER2027), room numbers and amounts stay readable.
 */
const DOCUMENT_IN_TEXT = /(?<![\w./:-])(?=(?:[a-z]{0,19}\d){5})(?=\d{0,19}[a-z])[a-z\d]{6,20}(?![\w/:-]|\.\w)/gi;
/** A word naming a document, with its "no." and separators ("ID card no. ", "Reisepass: ", "licence nr "). */
const DOCUMENT_WORD = String.raw`\b(?:passport|passeport|pasaporte|reisepass|ausweis|personalausweis|id[ -]?card|identity card|id(?=\s{0,3}(?:no|nr|number|num)\b)|document|licen[cs]e|dni)\b(?:\s{0,3}(?:no|nr|number|num)\b\.?)?[\s:#.]{0,8}`;
/** What stays readable even right after a document word: a date, a time, an amount (2026-12-06, 18:00, 1 250.00). */
const NOT_A_GROUP = String.raw`(?!\d{4}-\d{1,2}-\d{1,2}(?![\w-])|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?![\w-])|\d{1,2}:\d{2}|\d{1,3}(?:[ ,]\d{3}){0,4}[.,]\d{2}(?!\w))`;
/**
 * The number after a document word, also when written in groups joined by one space or hyphen ("passport C01 X00
 * T47", "ID card no. 1234-5678-90", "licence: AB 12 34 56"): a first group (with a digit, or 1-3 letters), then up
 * to 5 groups of up to 8 that each hold a digit, so the words after it ("on file") and a booking reference (8 hex)
 * are not taken. Each group ends at a word's end, so a start tries a bounded number of ways: linear in the text.
 * Whether the digits are enough is `isDocumentNumber`'s call.
 */
const NAMED_DOCUMENT_IN_TEXT = new RegExp(
  String.raw`(${DOCUMENT_WORD})(${NOT_A_GROUP}(?:[a-z]{1,3}(?![a-z\d])|(?=[a-z]{0,19}\d)[a-z\d]{1,20})`
  + String.raw`(?:[ -]${NOT_A_GROUP}(?![\da-f]{8}(?!\w))(?=[a-z]{0,7}\d)[a-z\d]{1,8}){0,5})(?![\w/:-]|\.\w)`,
  'gi',
);
/** One token of 5+ characters with 3+ digits, or groups with 5+ digits in all. */
function isDocumentNumber(token: string): boolean {
  const digits = token.replace(/\D/g, '').length;
  return /[ -]/.test(token) ? digits >= 5 : token.length >= 5 && digits >= 3;
}
const BOOKING_REF = /^[\da-f]{8}$/i;

/** E-mail addresses, phone numbers and document numbers inside free text (a note, a reason, a log line). */
export function maskText(text: string): string {
  return text
    .replace(EMAIL_IN_TEXT, (m) => maskValue(m) as string)
    .replace(PHONE_IN_TEXT, (m) => (m.replace(/\D/g, '').length < 7 || NOT_A_PHONE.test(m) ? m : maskValue(m) as string))
    .replace(NAMED_DOCUMENT_IN_TEXT, (m, named: string, token: string) => (isDocumentNumber(token) ? `${named}${maskValue(token) as string}` : m))
    .replace(DOCUMENT_IN_TEXT, (m) => (BOOKING_REF.test(m) ? m : maskValue(m) as string));
}

const normalizeKey = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const isPiiKey = (key: string, personName: boolean) => PII_KEYS.has(normalizeKey(key)) || (personName && normalizeKey(key) === 'name');

export function maskValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'string') return '***';
  if (/^[^@\s]+@[^@\s]+$/.test(value)) {
    const [local, domain] = value.split('@');
    return `${local!.slice(0, 1)}***@${domain}`;
  }
  return value.length <= 2 ? '***' : `${value.slice(0, 1)}***${value.slice(-1)}`;
}

/**
 * Masks PII anywhere in a value: by key name, and e-mail addresses, phone and document numbers inside free text
 * (a "reason" field that quotes a guest's address). `personName` also masks plain `name` keys.
 */
export function maskPii(value: unknown, key?: string, personName = false): unknown {
  if (key && isPiiKey(key, personName)) return maskValue(value);
  // Filled in by Postgres later (pipeline/returned.ts); its content is unknown here, only its key was checked.
  if (value instanceof Returned) return value;
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskPii(v, undefined, personName));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPii(v, k, personName)]));
  }
  return value;
}

/** One change with its fields masked; person entities also hide their `name`. */
export function maskChange(change: EntityChange): EntityChange {
  const person = PERSON_ENTITIES.has(change.type.toLowerCase());
  return {
    type: change.type,
    id: change.id,
    ...(change.before ? { before: maskPii(change.before, undefined, person) as Record<string, unknown> } : {}),
    ...(change.after ? { after: maskPii(change.after, undefined, person) as Record<string, unknown> } : {}),
  };
}

/** Each touched entity once, in first-touched order. */
export function entityRefs(changes: EntityChange[]): Array<{ type: string; id: string }> {
  const seen = new Map<string, { type: string; id: string }>();
  for (const c of changes) seen.set(`${c.type}:${c.id}`, seen.get(`${c.type}:${c.id}`) ?? { type: c.type, id: c.id });
  return [...seen.values()];
}

/**
 * The insert of one audit row (PII masked), as SQL with `?` placeholders and its parameters. With `guard`
 * (an SQL condition) the row is written only if it holds (a fast command's domain write applied); the role
 * and the changes may then hold values that write returns (pipeline/returned.ts).
 */
export function auditInsert(entry: AuditEntry, guard?: string): { sql: string; params: unknown[] } {
  const entities = entityRefs(entry.changes);
  const role = valueSql(entry.actorRole, 'varchar');
  const changes = jsonSql(entry.changes.map(maskChange));
  return {
    sql: `insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     ${guard
       ? `select ?::uuid, ?::timestamptz, ?::uuid, ${role.sql}, ?::uuid, ?::varchar, ?::uuid, ?::jsonb, ${changes.sql}, ?::varchar, ?::varchar where ${guard}`
       : `values (?, ?, ?, ${role.sql}, ?, ?, ?, ?::jsonb, ${changes.sql}, ?, ?)`}`,
    params: [
      randomUUID(), entry.at, entry.actorId, ...role.params, entry.propertyId, entry.commandType, entry.commandId,
      JSON.stringify(entities), ...changes.params, entry.outcome, entry.errorCode ?? null,
    ],
  };
}

/** Writes one audit row through `em` (inside the command's transaction, or its own for denials). */
export async function writeAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  const { sql, params } = auditInsert(entry);
  await em.execute(sql, params, 'run');
}
