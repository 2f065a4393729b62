import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { id } from './common.ts';
import { ROLES } from './permissions.ts';

export const roleName = z.enum(ROLES);

export const userSetRole = defineCommand('user.setRole', {
  permission: 'user.manage',
  description: 'Change the role of a member of this property. Takes effect at their next command on every server.',
  payload: z.object({ propertyId: id, userId: id, role: roleName }),
});

export const membershipSet = defineCommand('membership.set', {
  permission: 'user.manage',
  description: 'Make a user a member of this property with a role, or remove them (`role: null`). Their open boards join or leave the property at once.',
  payload: z.object({ propertyId: id, userId: id, role: roleName.nullable() }),
});

export const userDeactivate = defineCommand('user.deactivate', {
  permission: 'user.manage',
  description: 'Deactivate the account of a member of this property: their sessions end and open boards are disconnected on every server.',
  payload: z.object({ propertyId: id, userId: id }),
});

export const membershipChanged = defineEvent('membership.changed', {
  description: 'A user joined or left this property, or their role here changed (role null: no longer a member).',
  payload: z.object({ userId: id, propertyId: id, role: roleName.nullable(), previousRole: roleName.nullable() }),
});

export const userDeactivated = defineEvent('user.deactivated', {
  description: 'A member\'s account was deactivated.',
  payload: z.object({ userId: id }),
});

export const identityCommands = [userSetRole, membershipSet, userDeactivate] as const;
export const identityEvents = [membershipChanged, userDeactivated] as const;
