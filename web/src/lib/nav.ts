import type { RoleName } from '@innboard/shared';

export interface NavItem {
  href: string;
  label: string;
  /** Roles that see the link; everyone when omitted. */
  roles?: readonly RoleName[];
  /** The menu the link folds into when a role has too many links for one row. */
  group?: string;
}

/** The app's pages, in menu order. A new page is `src/routes/<name>/+page.svelte` plus one line here. */
export const NAV: readonly NavItem[] = [
  { href: '/board', label: 'Room board' },
  { href: '/front-desk', label: 'Front desk', roles: ['front_desk', 'manager', 'admin'], group: 'Front office' },
  { href: '/tape-chart', label: 'Tape chart', roles: ['front_desk', 'manager', 'admin', 'housekeeping_supervisor'], group: 'Front office' },
  // The front desk watches housekeeping (read-only) to know which rooms it can sell.
  { href: '/housekeeping', label: 'Housekeeping', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin', 'front_desk'], group: 'Housekeeping' },
  { href: '/housekeeping/assign', label: 'Assign', roles: ['housekeeping_supervisor', 'manager', 'admin'], group: 'Housekeeping' },
  { href: '/attendant', label: 'My rooms', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin'], group: 'Housekeeping' },
  { href: '/tickets', label: 'Maintenance', roles: ['housekeeper', 'housekeeping_supervisor', 'manager', 'admin', 'front_desk'], group: 'Housekeeping' },
  { href: '/pos', label: 'POS', roles: ['pos_cashier', 'manager', 'admin'], group: 'POS' },
  { href: '/pos/orders', label: 'Open orders', roles: ['pos_cashier', 'manager', 'admin'], group: 'POS' },
  { href: '/pos/stock', label: 'Stock', roles: ['manager', 'admin'], group: 'POS' },
  // The hand-over log is written by the desk and housekeeping; cashiers have no part in it.
  { href: '/shift-log', label: 'Shift log', roles: ['front_desk', 'housekeeper', 'housekeeping_supervisor', 'manager', 'admin'] },
  { href: '/manager', label: 'Manager', roles: ['manager', 'admin'], group: 'Manager' },
  // Guest-site pages: content.manage is a manager / admin permission.
  { href: '/content', label: 'Content pages', roles: ['manager', 'admin'], group: 'Manager' },
  // review.manage and notification.configure are manager / admin permissions.
  { href: '/reviews', label: 'Reviews', roles: ['manager', 'admin'], group: 'Manager' },
  { href: '/notification-rules', label: 'Notification rules', roles: ['manager', 'admin'], group: 'Manager' },
  // Refund approval is manager work; the front desk follows its refunds in the drawer.
  { href: '/approvals', label: 'Approvals', roles: ['manager', 'admin'], group: 'Manager' },
  // Closing the day and its figures: nightAudit.run and report.read are manager / admin permissions.
  { href: '/night-audit', label: 'Night audit', roles: ['manager', 'admin'], group: 'Manager' },
  { href: '/reports', label: 'Daily report', roles: ['manager', 'admin'], group: 'Manager' },
  // audit.read is a manager / admin permission; the page also checks it, for custom roles.
  { href: '/audit', label: 'Audit', roles: ['manager', 'admin'], group: 'Manager' },
];

export function navFor(role: RoleName | undefined): NavItem[] {
  return NAV.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** A top-level entry of the menu: a link, or a named group of links that opens as a dropdown. */
export type NavEntry = { kind: 'link'; item: NavItem } | { kind: 'group'; label: string; items: NavItem[] };

/** Up to this many links stay flat: a housekeeper reaches "My rooms" in one click; managers get grouped menus. */
export const FLAT_MAX = 7;

/** The role's links as top-level entries: flat when they fit one row, else folded into their groups (a group of one stays a link). */
export function menuFor(role: RoleName | undefined): NavEntry[] {
  const links = navFor(role);
  if (links.length <= FLAT_MAX) return links.map((item) => ({ kind: 'link', item }));
  const entries: NavEntry[] = [];
  const groups = new Map<string, NavItem[]>();
  for (const item of links) {
    if (!item.group) {
      entries.push({ kind: 'link', item });
      continue;
    }
    let items = groups.get(item.group);
    if (!items) {
      items = [];
      groups.set(item.group, items);
      entries.push({ kind: 'group', label: item.group, items });
    }
    items.push(item);
  }
  return entries.map((e) => (e.kind === 'group' && e.items.length === 1 ? { kind: 'link', item: e.items[0]! } : e));
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
