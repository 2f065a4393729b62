// End-of-shift figures: what each cashier took at each terminal on a hotel day.
import type { PayloadOf, ShiftFigures, ShiftReport, posShiftReport } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { User } from '../../identity/entities.ts';
import { notFound } from '../../pipeline/errors.ts';
import { Terminal } from './entities.ts';
import { actorIsManager, propertyOf } from './order.store.ts';

interface PaymentRow { terminal_id: string | null; cashier_id: string; method: 'cash' | 'card' | 'room'; amount: string; tips: string; n: string }
interface AdjustmentRow { terminal_id: string | null; cashier_id: string; kind: 'void' | 'discount'; amount: string; n: string }

export async function shiftReport(ctx: CommandContext, input: PayloadOf<typeof posShiftReport>): Promise<ShiftReport> {
  // Another hotel's till is not one of ours (rather than an empty report that confirms it exists).
  if (input.terminalId && !(await ctx.em.count(Terminal, { id: input.terminalId, property: ctx.propertyId }))) throw notFound('Terminal');
  const date = input.date ?? (await propertyOf(ctx)).businessDate;
  // A cashier sees their own figures; a manager anyone's.
  const cashierId = (await actorIsManager(ctx)) ? input.cashierId : ctx.actor.userId;
  const filters = ['property_id = ?', 'business_date = ?'];
  const params: unknown[] = [ctx.propertyId, date];
  if (input.terminalId) { filters.push('terminal_id = ?'); params.push(input.terminalId); }
  if (cashierId) { filters.push('cashier_id = ?'); params.push(cashierId); }
  const where = filters.join(' and ');
  const payments = await ctx.em.execute<PaymentRow[]>(
    `select terminal_id, cashier_id, method, sum(amount) as amount, sum(tip) as tips, count(*) as n
       from pos_payment where ${where} group by terminal_id, cashier_id, method`, params);
  const adjustments = await ctx.em.execute<AdjustmentRow[]>(
    `select terminal_id, cashier_id, kind, sum(amount) as amount, count(*) as n
       from pos_order_adjustment where ${where} group by terminal_id, cashier_id, kind`, params);

  const rows = new Map<string, ShiftFigures>();
  const rowOf = (terminalId: string | null, cashier: string): ShiftFigures => {
    const key = `${terminalId}|${cashier}`;
    let row = rows.get(key);
    if (!row) {
      row = { terminalId, cashierId: cashier, cashierName: '', sales: { cash: 0, card: 0, room: 0 }, tips: 0, payments: 0, voids: { count: 0, amount: 0 }, discounts: { count: 0, amount: 0 } };
      rows.set(key, row);
    }
    return row;
  };
  for (const p of payments) {
    const row = rowOf(p.terminal_id, p.cashier_id);
    row.sales[p.method] += Number(p.amount);
    row.tips += Number(p.tips);
    row.payments += Number(p.n);
  }
  for (const a of adjustments) {
    const figures = rowOf(a.terminal_id, a.cashier_id)[a.kind === 'void' ? 'voids' : 'discounts'];
    figures.count += Number(a.n);
    figures.amount += Number(a.amount);
  }
  const users = await ctx.em.find(User, { id: { $in: [...new Set([...rows.values()].map((r) => r.cashierId))] } });
  for (const row of rows.values()) row.cashierName = users.find((u) => u.id === row.cashierId)?.name ?? '';
  return { date, rows: [...rows.values()].sort((a, b) => a.cashierName.localeCompare(b.cashierName) || String(a.terminalId).localeCompare(String(b.terminalId))) };
}
