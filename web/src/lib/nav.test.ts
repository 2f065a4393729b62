import { describe, expect, it } from 'vitest';
import { currentHref, homeFor, navFor } from './nav.ts';

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
});
