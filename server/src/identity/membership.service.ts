import { LockMode } from '@mikro-orm/core';
import { membershipChanged, userDeactivated, type PayloadOf, type RoleName, type membershipSet, type userDeactivate, type userSetRole } from '@innboard/shared';
import type { CommandContext } from '../pipeline/types.ts';
import { CommandError, conflict, notFound } from '../pipeline/errors.ts';
import { Membership, Role, Session, User } from './entities.ts';

/** The target's row lock serializes concurrent changes to one person's access. */
async function lockTarget(ctx: CommandContext, userId: string): Promise<User> {
  if (userId === ctx.actor.userId) throw conflict('You cannot change your own access; ask another administrator');
  const user = await ctx.em.findOne(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!user) throw notFound('User');
  return user;
}

const notMember = () => new CommandError('NOT_FOUND', 'That user is not a member of this property');

const findMembership = (ctx: CommandContext, userId: string) => ctx.em.findOne(Membership, { user: userId, property: ctx.propertyId });

type RoleChange = { userId: string; role: RoleName | null; previousRole: RoleName | null };

/** Adds, changes or removes the membership; records and announces only a real change. */
async function applyRole(ctx: CommandContext, user: User, membership: Membership | null, role: RoleName | null): Promise<RoleChange> {
  const previousRole = (membership?.role.name ?? null) as RoleName | null;
  if (previousRole === role) return { userId: user.id, role, previousRole };
  let target: Membership;
  if (role === null) {
    target = membership!;
    ctx.em.remove(target);
  } else if (membership) {
    target = membership;
    target.role = ctx.em.getReference(Role, role);
  } else {
    target = ctx.em.create(Membership, { user, property: ctx.propertyId, role });
  }
  await ctx.em.flush();
  ctx.recordChange({ type: 'membership', id: target.id, before: { userId: user.id, role: previousRole }, after: { userId: user.id, role } });
  ctx.emit(membershipChanged, { userId: user.id, propertyId: ctx.propertyId, role, previousRole });
  return { userId: user.id, role, previousRole };
}

export async function setUserRole(ctx: CommandContext, input: PayloadOf<typeof userSetRole>): Promise<RoleChange> {
  const user = await lockTarget(ctx, input.userId);
  const membership = await findMembership(ctx, user.id);
  if (!membership) throw notMember();
  return applyRole(ctx, user, membership, input.role);
}

export async function setMembership(ctx: CommandContext, input: PayloadOf<typeof membershipSet>): Promise<RoleChange> {
  const user = await lockTarget(ctx, input.userId);
  return applyRole(ctx, user, await findMembership(ctx, user.id), input.role);
}

/**
 * Global, though asked for in one property: an account is one person. Only a member of the property
 * can be deactivated from it, so an administrator reaches only people who work in their hotel.
 */
export async function deactivateUser(ctx: CommandContext, input: PayloadOf<typeof userDeactivate>): Promise<{ userId: string; active: false }> {
  const user = await lockTarget(ctx, input.userId);
  if (!(await findMembership(ctx, user.id))) throw notMember();
  if (!user.active) return { userId: user.id, active: false };
  user.active = false;
  // Refresh tokens die with the account; access tokens are refused at the next command.
  await ctx.em.nativeUpdate(Session, { user: user.id, revokedAt: null }, { revokedAt: ctx.now });
  await ctx.em.flush();
  ctx.recordChange({ type: 'user', id: user.id, before: { active: true }, after: { active: false } });
  ctx.emit(userDeactivated, { userId: user.id });
  return { userId: user.id, active: false };
}
