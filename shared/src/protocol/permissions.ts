/**
 * Every permission a command can require. Roles are data (table `role`); these defaults seed them
 * and are what a fresh property's roles grant.
 */
export const PERMISSIONS = [
  'property.read',
  'room.manage',
  'room.setStatus',
  'user.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['front_desk', 'housekeeper', 'housekeeping_supervisor', 'pos_cashier', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

const everyone: Permission[] = ['property.read'];

export const DEFAULT_ROLE_PERMISSIONS: Record<RoleName, Permission[]> = {
  front_desk: [...everyone, 'room.setStatus'],
  housekeeper: [...everyone, 'room.setStatus'],
  housekeeping_supervisor: [...everyone, 'room.setStatus'],
  pos_cashier: [...everyone],
  manager: [...everyone, 'room.setStatus', 'room.manage', 'audit.read'],
  admin: [...PERMISSIONS],
};
