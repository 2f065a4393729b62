// Rules of the POS set-up: outlets, their menus and their terminals.
import {
  posOutletChanged, posProductChanged,
  type OutletView, type PayloadOf, type ProductView, type posOutletCreate, type posOutletUpdate, type posProductCreate, type posProductUpdate, type posTerminalRegister,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { Outlet, Product, Terminal } from './entities.ts';
import { toOutletView, toProductView } from './views.ts';

async function announceOutlet(ctx: CommandContext, outlet: Outlet): Promise<OutletView> {
  await ctx.em.flush();
  const view = toOutletView(outlet, await ctx.em.find(Terminal, { outlet }));
  ctx.emit(posOutletChanged, view);
  return view;
}

function announceProduct(ctx: CommandContext, product: Product, outlet: Outlet): ProductView {
  const view = toProductView(product, outlet);
  ctx.emit(posProductChanged, view);
  return view;
}

/** Changed fields only, for the audit trail. */
function diff<T extends object>(target: T, input: Partial<T>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const current = target[key as keyof T];
    if (value === undefined || JSON.stringify(current) === JSON.stringify(value)) continue;
    before[key] = current;
    after[key] = value;
    target[key as keyof T] = value as T[keyof T];
  }
  return { before, after };
}

export async function createOutlet(ctx: CommandContext, input: PayloadOf<typeof posOutletCreate>): Promise<{ outletId: string }> {
  const { propertyId: _p, ...fields } = input;
  const outlet = ctx.em.create(Outlet, { property: ctx.propertyId, ...fields });
  ctx.recordChange({ type: 'outlet', id: outlet.id, after: fields });
  await announceOutlet(ctx, outlet);
  return { outletId: outlet.id };
}

export async function updateOutlet(ctx: CommandContext, input: PayloadOf<typeof posOutletUpdate>): Promise<OutletView> {
  const outlet = await ctx.em.findOne(Outlet, { id: input.outletId, property: ctx.propertyId });
  if (!outlet) throw notFound('Outlet');
  const { outletId: _o, ...fields } = input;
  const change = diff(outlet, fields as Partial<Outlet>);
  if (Object.keys(change.after).length === 0) return toOutletView(outlet, await ctx.em.find(Terminal, { outlet }));
  ctx.recordChange({ type: 'outlet', id: outlet.id, ...change });
  return announceOutlet(ctx, outlet);
}

async function activeOutlet(ctx: CommandContext, outletId: string): Promise<Outlet> {
  const outlet = await ctx.em.findOne(Outlet, { id: outletId, property: ctx.propertyId });
  if (!outlet) throw notFound('Outlet');
  if (!outlet.active) throw conflict(`${outlet.name} is closed for good`);
  return outlet;
}

export async function createProduct(ctx: CommandContext, input: PayloadOf<typeof posProductCreate>): Promise<{ productId: string }> {
  const outlet = await activeOutlet(ctx, input.outletId);
  const { outletId: _o, ...fields } = input;
  const product = ctx.em.create(Product, {
    property: ctx.propertyId, outlet, name: fields.name, category: fields.category, price: fields.price,
    taxRate: fields.taxRate ?? null, modifiers: fields.modifiers ?? [], available: fields.available ?? true,
  });
  await ctx.em.flush();
  ctx.recordChange({ type: 'product', id: product.id, after: fields });
  announceProduct(ctx, product, outlet);
  return { productId: product.id };
}

export async function updateProduct(ctx: CommandContext, input: PayloadOf<typeof posProductUpdate>): Promise<ProductView> {
  const product = await ctx.em.findOne(Product, { id: input.productId, property: ctx.propertyId }, { populate: ['outlet'] });
  if (!product) throw notFound('Product');
  const { productId: _p, ...fields } = input;
  const change = diff(product, fields as Partial<Product>);
  if (Object.keys(change.after).length === 0) return toProductView(product, product.outlet);
  await ctx.em.flush();
  ctx.recordChange({ type: 'product', id: product.id, ...change });
  return announceProduct(ctx, product, product.outlet);
}

export async function registerTerminal(ctx: CommandContext, input: PayloadOf<typeof posTerminalRegister>): Promise<{ terminalId: string }> {
  const outlet = await activeOutlet(ctx, input.outletId);
  if (await ctx.em.count(Terminal, { outlet, name: input.name })) throw conflict(`${outlet.name} already has a terminal called ${input.name}`);
  const terminal = ctx.em.create(Terminal, { property: ctx.propertyId, outlet, name: input.name });
  ctx.recordChange({ type: 'terminal', id: terminal.id, after: { outletId: outlet.id, name: input.name } });
  await announceOutlet(ctx, outlet);
  return { terminalId: terminal.id };
}
