import { stringify } from 'csv-stringify/browser/esm/sync';
import type { DailyStatistics } from '@innboard/shared';
import { amountInput } from './amount.ts';

// The manager's daily report as the page draws and exports it.

export interface Amount {
  key: string;
  amount: number;
}

export interface DailyReportView {
  businessDate: string;
  currency: string;
  roomsAvailable: number;
  roomsSold: number;
  /** Percent, one decimal. */
  occupancy: number;
  adr: number;
  revpar: number;
  revenueByDepartment: readonly Amount[];
  paymentsByMethod: readonly Amount[];
}

/** A closed day's stored statistics (report.daily) as the page draws them; departments and methods without money are left out. */
export function reportView(day: DailyStatistics): DailyReportView {
  const amounts = (record: Record<string, number>): Amount[] => Object.entries(record).filter(([, amount]) => amount !== 0).map(([key, amount]) => ({ key, amount }));
  return {
    businessDate: day.businessDate, currency: day.currency, roomsAvailable: day.roomsAvailable, roomsSold: day.roomsSold,
    occupancy: day.occupancy, adr: day.adr, revpar: day.revpar,
    revenueByDepartment: amounts(day.revenueByDepartment), paymentsByMethod: amounts(day.paymentsByMethod),
  };
}

export const sum = (list: readonly Amount[]): number => list.reduce((s, a) => s + a.amount, 0);

/** Largest first, then by name, so the chart and the CSV read the same. */
export function ranked(list: readonly Amount[]): Amount[] {
  return [...list].sort((a, b) => b.amount - a.amount || a.key.localeCompare(b.key));
}

/**
 * One table a spreadsheet opens as is: section, item, value, with money as plain decimals in the
 * property's currency (no symbols or thousands separators) and the totals last in each section.
 */
export function dailyReportCsv(report: DailyReportView, label: (section: 'department' | 'method', key: string) => string): string {
  const money = (minor: number) => amountInput(minor, report.currency);
  const rows: string[][] = [
    ['Business date', report.businessDate, ''],
    ['Currency', report.currency, ''],
    ['Rooms', 'Available', String(report.roomsAvailable)],
    ['Rooms', 'Sold', String(report.roomsSold)],
    ['Rooms', 'Occupancy %', report.occupancy.toFixed(1)],
    ['Rates', 'ADR', money(report.adr)],
    ['Rates', 'RevPAR', money(report.revpar)],
    ...ranked(report.revenueByDepartment).map((a) => ['Revenue', label('department', a.key), money(a.amount)]),
    ['Revenue', 'Total', money(sum(report.revenueByDepartment))],
    ...ranked(report.paymentsByMethod).map((a) => ['Payments', label('method', a.key), money(a.amount)]),
    ['Payments', 'Total', money(sum(report.paymentsByMethod))],
  ];
  return stringify(rows, { header: true, columns: ['Section', 'Item', 'Value'], record_delimiter: 'windows' });
}
