import { describe, expect, it } from 'vitest';
import { dailyReportCsv, ranked, reportView, sum, type DailyReportView } from './daily-report.ts';

const report: DailyReportView = {
  businessDate: '2026-12-05',
  currency: 'EUR',
  roomsAvailable: 40,
  roomsSold: 29,
  occupancy: 72.5,
  adr: 11990,
  revpar: 8693,
  revenueByDepartment: [{ key: 'fnb', amount: 4550 }, { key: 'room', amount: 347710 }, { key: 'minibar, "extra"', amount: 900 }],
  paymentsByMethod: [{ key: 'card', amount: 200000 }, { key: 'cash', amount: 5005 }],
};

describe('daily report', () => {
  it('ranks amounts largest first and sums them exactly', () => {
    expect(ranked(report.revenueByDepartment).map((a) => a.key)).toEqual(['room', 'fnb', 'minibar, "extra"']);
    expect(sum(report.revenueByDepartment)).toBe(353160);
  });

  it('exports a CSV with plain decimals, quoted where needed, totals last', () => {
    const csv = dailyReportCsv(report, (section, key) => (section === 'method' ? key.toUpperCase() : key));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Section,Item,Value');
    expect(lines).toContain('Rooms,Occupancy %,72.5');
    expect(lines).toContain('Rates,ADR,119.90');
    expect(lines).toContain('Rates,RevPAR,86.93');
    expect(lines).toContain('Revenue,"minibar, ""extra""",9.00');
    expect(lines.filter((l) => l.startsWith('Revenue,'))).toEqual([
      'Revenue,room,3477.10', 'Revenue,fnb,45.50', 'Revenue,"minibar, ""extra""",9.00', 'Revenue,Total,3531.60',
    ]);
    expect(lines.slice(-3)).toEqual(['Payments,CARD,2000.00', 'Payments,CASH,50.05', 'Payments,Total,2050.05']);
  });

  it('reads a day of report.daily, leaving out what took no money', () => {
    const view = reportView({
      businessDate: '2026-12-05', currency: 'EUR', roomsAvailable: 40, roomsOutOfOrder: 1, roomsSold: 29, occupancy: 72.5, roomRevenue: 347710,
      adr: 11990, revpar: 8693, arrivals: 3, departures: 2, noShows: 1,
      revenueByDepartment: { room: 347710, fnb: 4550, spa: 0 }, paymentsByMethod: { card: 200000, cash: 0 },
    });
    expect(view).toMatchObject({ businessDate: '2026-12-05', roomsSold: 29, occupancy: 72.5, adr: 11990, revpar: 8693 });
    expect(view.revenueByDepartment).toEqual([{ key: 'room', amount: 347710 }, { key: 'fnb', amount: 4550 }]);
    expect(view.paymentsByMethod).toEqual([{ key: 'card', amount: 200000 }]);
  });
});
