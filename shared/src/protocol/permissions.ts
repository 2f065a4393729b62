/**
 * Every permission a command can require. Roles are data (table `role`); these defaults seed them
 * and are what a fresh property's roles grant.
 */
export const PERMISSIONS = [
  'property.read',
  'room.manage',
  'room.setStatus',
  'room.block',
  'reservation.read',
  'reservation.write',
  'reservation.checkIn',
  'rate.manage',
  'guest.read',
  'guest.write',
  'report.read',
  'task.work',
  'task.manage',
  'task.inspect',
  'ticket.write',
  'ticket.manage',
  'user.manage',
  'audit.read',
  'folio.read',
  'folio.write',
  'folio.adjust',
  'payment.take',
  'refund.request',
  'refund.approve',
  'invoice.issue',
  'invoice.credit',
  'billing.configure',
  'pos.sell',
  'pos.manage',
  'stock.manage',
  'minibar.record',
  'note.write',
  'content.manage',
  'notification.configure',
  'review.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['front_desk', 'housekeeper', 'housekeeping_supervisor', 'pos_cashier', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];

const everyone: Permission[] = ['property.read'];
const frontDesk: Permission[] = ['room.setStatus', 'reservation.read', 'reservation.write', 'reservation.checkIn', 'guest.read', 'guest.write', 'ticket.write', 'note.write'];
/** Folios, payments and invoices at the desk; adjustments, refund approval, credit notes and settings are the manager's. */
const cashiering: Permission[] = ['folio.read', 'folio.write', 'payment.take', 'refund.request', 'invoice.issue'];
const housekeeping: Permission[] = ['room.setStatus', 'task.work', 'ticket.write', 'minibar.record', 'note.write'];

export const DEFAULT_ROLE_PERMISSIONS: Record<RoleName, Permission[]> = {
  front_desk: [...everyone, ...frontDesk, ...cashiering],
  housekeeper: [...everyone, ...housekeeping],
  housekeeping_supervisor: [...everyone, ...housekeeping, 'task.manage', 'task.inspect', 'ticket.manage', 'room.block', 'reservation.read'],
  pos_cashier: [...everyone, 'reservation.read', 'pos.sell'],
  manager: [...everyone, ...frontDesk, ...housekeeping, 'room.manage', 'room.block', 'rate.manage', 'report.read', 'task.manage', 'task.inspect', 'ticket.manage', 'audit.read', 'pos.sell', 'pos.manage', 'stock.manage', 'content.manage', 'notification.configure', 'review.manage',
    ...cashiering, 'folio.adjust', 'refund.approve', 'invoice.credit', 'billing.configure'],
  admin: [...PERMISSIONS],
};
