import { ticketComment, ticketCreate, ticketResolve, ticketUpdate } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { commentOnTicket, createTicket, resolveTicket, updateTicket } from './ticket.service.ts';

const byTicket = byEntity('maintenance_ticket', 'ticketId');

export const ticketHandlers = [
  defineHandler(ticketCreate, { scope: byPropertyId, handle: createTicket }),
  defineHandler(ticketUpdate, { scope: byTicket, handle: updateTicket }),
  defineHandler(ticketComment, { scope: byTicket, handle: commentOnTicket }),
  defineHandler(ticketResolve, { scope: byTicket, handle: resolveTicket }),
];
