import { defineEntity, p } from '@mikro-orm/core';

/** Per-property event counter; its row lock orders commits so seq is gapless in commit order. */
const PropertySeqSchema = defineEntity({
  name: 'PropertySeq',
  properties: {
    propertyId: p.uuid().primary(),
    seq: p.bigint('number').default(0),
  },
});
export class PropertySeq extends PropertySeqSchema.class {}
PropertySeqSchema.setClass(PropertySeq);

const EventLogSchema = defineEntity({
  name: 'EventLog',
  properties: {
    propertyId: p.uuid().primary(),
    seq: p.bigint('number').primary(),
    type: p.string().length(100),
    payload: p.json(),
    commandId: p.uuid().nullable(),
    at: p.datetime(),
  },
  primaryKeys: ['propertyId', 'seq'],
});
export class EventLog extends EventLogSchema.class {}
EventLogSchema.setClass(EventLog);

/** The first answer to a command id; replays return it unchanged. */
const CommandResultSchema = defineEntity({
  name: 'CommandResult',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    type: p.string().length(100),
    ack: p.json(),
    createdAt: p.datetime().index(),
  },
});
export class CommandResult extends CommandResultSchema.class {}
CommandResultSchema.setClass(CommandResult);

export const eventEntities = [PropertySeq, EventLog, CommandResult];
