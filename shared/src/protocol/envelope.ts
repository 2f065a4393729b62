import { z } from 'zod';
import type { RoomStatus } from './property.ts';

/**
 * Bumped on any breaking change to envelopes, acks or event shapes. The handshake may send
 * `protocolVersion`; the server refuses versions outside [MIN_PROTOCOL_VERSION, PROTOCOL_VERSION].
 */
export const PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;

export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL',
  'PROTOCOL_VERSION',
  /** An update or document over its size limit (collaborative documents). */
  'TOO_LARGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Ack<R = unknown> = { ok: true; result: R; seq?: number } | { ok: false; error: ErrorBody };

export const commandEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type CommandEnvelope = z.infer<typeof commandEnvelopeSchema>;

export interface EventEnvelope<T extends string = string, P = unknown> {
  seq: number;
  propertyId: string;
  type: T;
  payload: P;
  /** ISO timestamp of the commit. */
  at: string;
}

export interface Heartbeat {
  propertyId: string;
  seq: number;
}

export const syncRequestSchema = z.object({
  propertyId: z.uuid(),
  since: z.number().int().min(0).optional(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export type SyncResult<Snapshot = PropertySnapshotBase> =
  | { ok: true; seq: number; events: EventEnvelope[] }
  | { ok: true; seq: number; snapshot: Snapshot }
  | { ok: false; error: ErrorBody };

/** The part of the snapshot every property has; domains add their own keys. */
export interface PropertySnapshotBase {
  property: { id: string; name: string; timeZone: string; businessDate: string; currency: string };
  rooms: Array<{ id: string; number: string; floor: number; roomTypeId: string; status: RoomStatus; features: string[]; version: number }>;
  roomTypes: Array<{ id: string; code: string; name: string; maxAdults: number; maxChildren: number; description: string; amenities: string[] }>;
  [domain: string]: unknown;
}

/** Socket.IO event names of the contract. */
export const SOCKET_EVENTS = { command: 'command', event: 'event', sync: 'sync', heartbeat: 'heartbeat' } as const;
