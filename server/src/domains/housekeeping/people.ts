// Who is who in a property, as housekeeping needs it: the actor's extra powers, the staff a
// supervisor can assign, and the people to tell when a room is ready.
import type { EntityManager } from '@mikro-orm/postgresql';
import { HOUSEKEEPING_ROLES, type Permission, type RoleName, type StaffMember } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { can, loadAccess, type Access } from '../../identity/authorize.ts';
import { Membership } from '../../identity/entities.ts';

const accessByCommand = new WeakMap<CommandContext, Promise<Access | null>>();

/**
 * Does the acting user also hold `permission`? The pipeline checked only the command's own
 * permission; rules such as "a supervisor may act on anyone's task" need a second one.
 */
export async function actorMay(ctx: CommandContext, permission: Permission): Promise<boolean> {
  // A command's preflight already read the caller's access in this command; system work has none.
  if (ctx.access) return can(ctx.access, permission);
  let access = accessByCommand.get(ctx);
  if (!access) {
    access = loadAccess(ctx.em, ctx.actor.userId, ctx.propertyId);
    accessByCommand.set(ctx, access);
  }
  return can(await access, permission);
}

interface Member {
  userId: string;
  name: string;
  role: RoleName;
  permissions: readonly string[];
}

async function activeMembers(em: EntityManager, propertyId: string): Promise<Member[]> {
  const rows = await em.find(Membership, { property: propertyId, user: { active: true } }, { populate: ['user', 'role'] });
  return rows
    .map((m) => ({ userId: m.user.id, name: m.user.name, role: m.role.name as RoleName, permissions: m.role.permissions }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Members with a housekeeping role: the people a supervisor assigns tasks to. */
export async function findStaff(em: EntityManager, propertyId: string): Promise<StaffMember[]> {
  return (await activeMembers(em, propertyId))
    .filter((m) => HOUSEKEEPING_ROLES.includes(m.role))
    .map(({ userId, name, role }) => ({ userId, name, role }));
}

/** Any active member of the property (tickets can go to anyone, e.g. a maintenance engineer). */
export async function findMember(em: EntityManager, propertyId: string, userId: string): Promise<StaffMember | null> {
  const m = await em.findOne(Membership, { property: propertyId, user: { id: userId, active: true } }, { populate: ['user', 'role'] });
  return m ? { userId: m.user.id, name: m.user.name, role: m.role.name as RoleName } : null;
}

/** Who checks guests in, and so hears when an arriving guest's room is ready. */
export const ARRIVAL_DESK_PERMISSION: Permission = 'reservation.checkIn';

/** Members who check guests in: they hear when an arriving guest's room is ready. */
export async function findArrivalDesk(em: EntityManager, propertyId: string): Promise<Member[]> {
  return (await activeMembers(em, propertyId)).filter((m) => m.permissions.includes(ARRIVAL_DESK_PERMISSION));
}
