import { membershipSet, userDeactivate, userSetRole } from '@innboard/shared';
import { byPropertyId, defineHandler } from '../pipeline/types.ts';
import { deactivateUser, setMembership, setUserRole } from './membership.service.ts';

export const identityHandlers = [
  defineHandler(userSetRole, { scope: byPropertyId, handle: setUserRole }),
  defineHandler(membershipSet, { scope: byPropertyId, handle: setMembership }),
  defineHandler(userDeactivate, { scope: byPropertyId, handle: deactivateUser }),
];
