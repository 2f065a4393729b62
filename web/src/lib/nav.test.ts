import { describe, expect, it } from 'vitest';
import { ROLES } from '@innboard/shared';
import { FLAT_MAX, currentHref, homeFor, menuFor, navFor } from './nav.ts';

const hrefs = (role: Parameters<typeof navFor>[0]) => navFor(role).map((i) => i.href);

describe('nav', () => {
  it('shows each role its pages', () => {
    expect(hrefs('housekeeper')).toEqual(['/board', '/housekeeping', '/attendant', '/tickets', '/shift-log']);
    expect(hrefs('housekeeping_supervisor')).toEqual(['/board', '/tape-chart', '/housekeeping', '/housekeeping/assign', '/attendant', '/tickets', '/shift-log']);
    expect(hrefs('front_desk')).toEqual(['/board', '/front-desk', '/tape-chart', '/housekeeping', '/tickets', '/shift-log']);
    expect(hrefs('manager')).toContain('/manager');
    expect(hrefs('manager')).toContain('/audit');
    expect(hrefs('manager')).toContain('/approvals');
    expect(hrefs('admin')).toContain('/approvals');
    expect(hrefs('admin')).toContain('/audit');
    for (const role of ['manager', 'admin'] as const) expect(hrefs(role)).toEqual(expect.arrayContaining(['/night-audit', '/reports', '/content']));
    expect(hrefs('pos_cashier')).toEqual(['/board', '/pos', '/pos/orders']);
    expect(hrefs('manager')).toEqual(expect.arrayContaining(['/pos', '/pos/orders', '/pos/stock']));
    expect(hrefs(undefined)).toEqual(['/board']);
  });

  it('sends a cashier to the till and everyone else to the board', () => {
    expect(homeFor('pos_cashier')).toBe('/pos');
    expect(homeFor('front_desk')).toBe('/board');
    expect(homeFor(undefined)).toBe('/board');
  });

  it('marks the most specific link as current', () => {
    const links = navFor('admin');
    expect(currentHref(links, '/housekeeping/assign')).toBe('/housekeeping/assign');
    expect(currentHref(links, '/housekeeping')).toBe('/housekeeping');
    expect(currentHref(links, '/housekeeping-x')).toBeNull();
    expect(currentHref(links, '/tickets')).toBe('/tickets');
  });

  it('keeps short menus flat and folds long ones into groups without losing a link', () => {
    const flat = (role: Parameters<typeof menuFor>[0]) => menuFor(role).flatMap((e) => (e.kind === 'link' ? [e.item.href] : e.items.map((i) => i.href)));
    for (const role of [...ROLES, undefined]) {
      // Every link the role has is in its menu, once, in menu order.
      expect(flat(role)).toEqual(hrefs(role));
      // Never more top-level entries than fit one row.
      expect(menuFor(role).length).toBeLessThanOrEqual(FLAT_MAX);
    }
    expect(menuFor('housekeeper').every((e) => e.kind === 'link')).toBe(true);
    expect(menuFor('front_desk').every((e) => e.kind === 'link')).toBe(true);
    const manager = menuFor('manager');
    expect(manager.map((e) => (e.kind === 'link' ? e.item.label : `${e.label} ▾`))).toEqual([
      'Room board', 'Front office ▾', 'Housekeeping ▾', 'POS ▾', 'Shift log', 'Manager ▾',
    ]);
    const managerGroup = manager.find((e) => e.kind === 'group' && e.label === 'Manager');
    expect(managerGroup?.kind === 'group' && managerGroup.items.map((i) => i.href)).toEqual(['/manager', '/content', '/reviews', '/notification-rules', '/approvals', '/night-audit', '/reports', '/audit']);
  });
});
