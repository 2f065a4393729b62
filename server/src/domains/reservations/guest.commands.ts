import { guestCreate, guestGet, guestSearch, guestUpdate } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createGuest, getGuest, searchGuests, updateGuest } from './guests.service.ts';

const byGuest = byEntity('guest', 'guestId');

export const guestHandlers = [
  defineHandler(guestCreate, { scope: byPropertyId, handle: createGuest }),
  defineHandler(guestUpdate, { scope: byGuest, handle: updateGuest }),
  defineHandler(guestSearch, { scope: byPropertyId, handle: searchGuests }),
  defineHandler(guestGet, { scope: byGuest, handle: getGuest }),
];
