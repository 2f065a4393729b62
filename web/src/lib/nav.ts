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
  { href: '/front-desk', label: 'Front desk', roles: ['front_desk', 'manager', 'admin'] },
  { href: '/tape-chart', label: 'Tape chart', roles: ['front_desk', 'manager', 'admin', 'housekeeping_supervisor'] },
  // The front desk watches housekeeping (read-only) to know which rooms it can sell.
  { href: '/housekeeping', label: 'Housekeeping', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin', 'front_desk'] },
  { href: '/housekeeping/assign', label: 'Assign', roles: ['housekeeping_supervisor', 'manager', 'admin'] },
  { href: '/attendant', label: 'My rooms', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin'] },
  { href: '/tickets', label: 'Maintenance', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin', 'front_desk'] },
  { href: '/pos', label: 'POS', roles: ['pos_cashier', 'manager', 'admin'] },
  { href: '/pos/orders', label: 'Open orders', roles: ['pos_cashier', 'manager', 'admin'] },
  { href: '/pos/stock', label: 'Stock', roles: ['manager', 'admin'] },
  // The hand-over log is written by the desk and housekeeping; cashiers have no part in it.
  { href: '/shift-log', label: 'Shift log', roles: ['front_desk', 'housekeeper', 'housekeeping_supervisor', 'manager', 'admin'] },
  { href: '/manager', label: 'Manager', roles: ['manager', 'admin'] },
  // Guest-site pages: content.manage is a manager / admin permission.
  { href: '/content', label: 'Content pages', roles: ['manager', 'admin'] },
  // review.manage and notification.configure are manager / admin permissions.
  { href: '/reviews', label: 'Reviews', roles: ['manager', 'admin'] },
  { href: '/notification-rules', label: 'Notification rules', roles: ['manager', 'admin'] },
  // Refund approval is manager work; the front desk follows its refunds in the drawer.
  { href: '/approvals', label: 'Approvals', roles: ['manager', 'admin'] },
  // Closing the day and its figures: nightAudit.run and report.read are manager / admin permissions.
  { href: '/night-audit', label: 'Night audit', roles: ['manager', 'admin'] },
  { href: '/reports', label: 'Daily report', roles: ['manager', 'admin'] },
  // audit.read is a manager / admin permission; the page also checks it, for custom roles.
  { href: '/audit', label: 'Audit', roles: ['manager', 'admin'] },
];

export function navFor(role: RoleName | undefined): NavItem[] {
  return NAV.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** The link to mark as the current page: the longest one that `path` is at or under (/housekeeping/assign, not /housekeeping). */
export function currentHref(links: readonly NavItem[], path: string): string | null {
  let best: string | null = null;
  for (const { href } of links) {
    if ((path === href || path.startsWith(href + '/')) && (!best || href.length > best.length)) best = href;
  }
  return best;
}

/** Where a role starts after signing in: a cashier goes straight to the till. */
export function homeFor(role: RoleName | undefined): string {
  return role === 'pos_cashier' ? '/pos' : '/board';
}

/** Pages reachable signed out, and pages that need no property chosen. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/login']);
export const PROPERTYLESS_PATHS: ReadonlySet<string> = new Set(['/login', '/properties']);
