import { groupAddReservation, groupCreate, groupGet, groupRelease } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { addToGroup, createGroup, getGroup, releaseGroup } from './group.service.ts';

const byGroup = byEntity('guest_group', 'groupId');

export const groupHandlers = [
  defineHandler(groupCreate, { scope: byPropertyId, handle: createGroup }),
  defineHandler(groupAddReservation, { scope: byGroup, handle: addToGroup }),
  defineHandler(groupRelease, { scope: byGroup, handle: releaseGroup }),
  defineHandler(groupGet, { scope: byGroup, handle: getGroup }),
];
