import type { RoleName } from '@innboard/shared';

export interface NavItem {
  href: string;
  label: string;
  /** Roles that see the link; everyone when omitted. */
  roles?: readonly RoleName[];
}

/** The app's pages, in menu order. A new page is `src/routes/<name>/+page.svelte` plus one line here. */
export const NAV: readonly NavItem[] = [
  { href: '/board', label: 'Room board' },
  // { href: '/tape-chart', label: 'Tape chart', roles: ['front_desk', 'manager', 'admin'] },
  // { href: '/housekeeping', label: 'Housekeeping' },
  // { href: '/manager', label: 'Manager', roles: ['manager', 'admin'] },
  // { href: '/audit', label: 'Audit', roles: ['manager', 'admin'] },
  { href: '/front-desk', label: 'Front desk', roles: ['front_desk', 'manager', 'admin'] },
  { href: '/tape-chart', label: 'Tape chart', roles: ['front_desk', 'manager', 'admin', 'housekeeping_supervisor'] },
  { href: '/manager', label: 'Manager', roles: ['manager', 'admin'] },
];

export function navFor(role: RoleName | undefined): NavItem[] {
  return NAV.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** Pages reachable signed out, and pages that need no property chosen. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/login']);
export const PROPERTYLESS_PATHS: ReadonlySet<string> = new Set(['/login', '/properties']);
