// The property's billing settings: city tax per person per night and the VAT included per department.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { billingConfigured, type BillingSettingsView, type PayloadOf, type billingConfigure } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { BillingSettings } from './entities.ts';
import { billingFacts } from './folios.ts';

export async function settingsView(em: EntityManager, propertyId: string): Promise<BillingSettingsView> {
  const facts = await billingFacts(em, propertyId);
  return { cityTaxPerPersonNight: facts.cityTaxPerPersonNight, cityTaxChildren: facts.cityTaxChildren, taxRates: facts.taxRates, currency: facts.currency };
}

export async function configureBilling(ctx: CommandContext, input: PayloadOf<typeof billingConfigure>): Promise<BillingSettingsView> {
  const before = await settingsView(ctx.em, ctx.propertyId);
  // Insert-if-missing first so the row exists to lock; two managers saving at once queue up on it.
  await ctx.em.execute(
    `insert into billing_settings (property_id, city_tax_per_person_night, city_tax_children, tax_rates, version)
     values (?, 0, false, '{}'::jsonb, 1) on conflict (property_id) do nothing`,
    [ctx.propertyId],
  );
  const row = await ctx.em.findOneOrFail(BillingSettings, { property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (input.cityTaxPerPersonNight !== undefined) row.cityTaxPerPersonNight = input.cityTaxPerPersonNight;
  if (input.cityTaxChildren !== undefined) row.cityTaxChildren = input.cityTaxChildren;
  if (input.taxRates !== undefined) row.taxRates = { ...row.taxRates, ...input.taxRates };
  await ctx.em.flush();
  const after = await settingsView(ctx.em, ctx.propertyId);
  if (JSON.stringify(before) === JSON.stringify(after)) return after;
  ctx.recordChange({ type: 'billing_settings', id: ctx.propertyId, before: { ...before }, after: { ...after } });
  ctx.emit(billingConfigured, after);
  return after;
}
