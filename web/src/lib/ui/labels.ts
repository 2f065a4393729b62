import type { RoleName } from '@innboard/shared';

export const ROLE_LABEL: Record<RoleName, string> = {
  front_desk: 'Front desk',
  housekeeper: 'Housekeeping',
  housekeeping_supervisor: 'Housekeeping supervisor',
  pos_cashier: 'POS cashier',
  manager: 'Manager',
  admin: 'Administrator',
};

export function roleLabel(role: string): string {
  return ROLE_LABEL[role as RoleName] ?? role.replaceAll('_', ' ');
}
