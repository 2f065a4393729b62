import { z } from 'zod';
import { COMMANDS, EVENTS, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '@innboard/shared';

/** The JSON Schema document served at GET /api/protocol, generated from the shared zod schemas. */
export function protocolDocument() {
  return {
    protocolVersion: PROTOCOL_VERSION,
    minProtocolVersion: MIN_PROTOCOL_VERSION,
    commands: COMMANDS.map((c) => ({
      type: c.type,
      permission: c.permission,
      description: c.description,
      payload: z.toJSONSchema(c.payload, { io: 'input', unrepresentable: 'any' }),
    })),
    events: EVENTS.map((e) => ({
      type: e.type,
      description: e.description,
      payload: z.toJSONSchema(e.payload, { io: 'output', unrepresentable: 'any' }),
    })),
  };
}
