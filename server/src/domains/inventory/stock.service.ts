// Rules of stock: items, movements and the low-stock alert. Every change of a quantity is a
// movement on a locked item row, so concurrent sales and counts never lose one another.
import { LockMode } from '@mikro-orm/core';
import {
  stockChanged, stockLow, stockRecipeChanged,
  type MovementKind, type PayloadOf, type RecipeView, type StockItemView,
  type stockAdjust, type stockItemCreate, type stockItemUpdate, type stockReceive, type stockRecipeSet, type stockWaste,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { notFound } from '../../pipeline/errors.ts';
import { Product } from '../pos/entities.ts';
import { RecipeComponent, StockItem, StockMovement } from './entities.ts';

export function toStockItemView(item: StockItem): StockItemView {
  return {
    stockItemId: item.id, name: item.name, unit: item.unit, quantity: item.quantity, lowThreshold: item.lowThreshold,
    low: item.quantity <= item.lowThreshold, version: item.version,
  };
}

async function lockItem(ctx: CommandContext, stockItemId: string): Promise<StockItem> {
  const item = await ctx.em.findOne(StockItem, { id: stockItemId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!item) throw notFound('Stock item');
  return item;
}

/** Books a movement on a locked item; tells managers when it crosses down to its threshold. */
async function move(ctx: CommandContext, item: StockItem, m: { kind: MovementKind; quantity: number; reason: string; orderId?: string }): Promise<StockItemView> {
  const wasLow = item.quantity <= item.lowThreshold;
  item.quantity += m.quantity;
  ctx.em.create(StockMovement, {
    property: ctx.propertyId, stockItem: item, kind: m.kind, quantity: m.quantity, balance: item.quantity, reason: m.reason,
    orderId: m.orderId ?? null, userId: ctx.actor.userId, at: ctx.now,
  });
  await ctx.em.flush();
  const view = toStockItemView(item);
  ctx.recordChange({ type: 'stockItem', id: item.id, before: { quantity: item.quantity - m.quantity }, after: { quantity: item.quantity, movement: m.kind } });
  ctx.emit(stockChanged, { item: view, movement: { kind: m.kind, quantity: m.quantity, reason: m.reason, orderId: m.orderId ?? null } });
  if (!wasLow && view.low) {
    ctx.emit(stockLow, { stockItemId: item.id, name: item.name, unit: item.unit, quantity: item.quantity, lowThreshold: item.lowThreshold });
  }
  return view;
}

export async function createStockItem(ctx: CommandContext, input: PayloadOf<typeof stockItemCreate>): Promise<{ stockItemId: string }> {
  const item = ctx.em.create(StockItem, { property: ctx.propertyId, name: input.name, unit: input.unit, lowThreshold: input.lowThreshold });
  await ctx.em.flush();
  const view = toStockItemView(item);
  ctx.recordChange({ type: 'stockItem', id: item.id, after: { name: item.name, unit: item.unit, lowThreshold: item.lowThreshold } });
  ctx.emit(stockChanged, { item: view, movement: null });
  return { stockItemId: item.id };
}

export async function updateStockItem(ctx: CommandContext, input: PayloadOf<typeof stockItemUpdate>): Promise<StockItemView> {
  const item = await lockItem(ctx, input.stockItemId);
  const before = { name: item.name, lowThreshold: item.lowThreshold };
  const wasLow = item.quantity <= item.lowThreshold;
  if (input.name !== undefined) item.name = input.name;
  if (input.lowThreshold !== undefined) item.lowThreshold = input.lowThreshold;
  if (item.name === before.name && item.lowThreshold === before.lowThreshold) return toStockItemView(item);
  await ctx.em.flush();
  const view = toStockItemView(item);
  ctx.recordChange({ type: 'stockItem', id: item.id, before, after: { name: item.name, lowThreshold: item.lowThreshold } });
  ctx.emit(stockChanged, { item: view, movement: null });
  if (!wasLow && view.low) ctx.emit(stockLow, { stockItemId: item.id, name: item.name, unit: item.unit, quantity: item.quantity, lowThreshold: item.lowThreshold });
  return view;
}

export async function receiveStock(ctx: CommandContext, input: PayloadOf<typeof stockReceive>): Promise<StockItemView> {
  return move(ctx, await lockItem(ctx, input.stockItemId), { kind: 'receive', quantity: input.quantity, reason: input.reason });
}

export async function wasteStock(ctx: CommandContext, input: PayloadOf<typeof stockWaste>): Promise<StockItemView> {
  return move(ctx, await lockItem(ctx, input.stockItemId), { kind: 'waste', quantity: -input.quantity, reason: input.reason });
}

/** A stocktake: the counted quantity becomes the truth; a count that matches books nothing. */
export async function adjustStock(ctx: CommandContext, input: PayloadOf<typeof stockAdjust>): Promise<StockItemView> {
  const item = await lockItem(ctx, input.stockItemId);
  if (item.quantity === input.quantity) return toStockItemView(item);
  return move(ctx, item, { kind: 'count', quantity: input.quantity - item.quantity, reason: input.reason });
}

export async function setRecipe(ctx: CommandContext, input: PayloadOf<typeof stockRecipeSet>): Promise<RecipeView> {
  const product = await ctx.em.findOne(Product, { id: input.productId, property: ctx.propertyId });
  if (!product) throw notFound('Product');
  const ids = input.components.map((c) => c.stockItemId);
  if (ids.length && (await ctx.em.count(StockItem, { id: { $in: ids }, property: ctx.propertyId })) !== ids.length) throw notFound('Stock item');
  await ctx.em.nativeDelete(RecipeComponent, { product });
  for (const c of input.components) {
    ctx.em.create(RecipeComponent, { product, stockItem: ctx.em.getReference(StockItem, c.stockItemId), property: ctx.propertyId, quantity: c.quantity });
  }
  await ctx.em.flush();
  const view: RecipeView = { productId: product.id, components: input.components };
  ctx.recordChange({ type: 'recipe', id: product.id, after: view });
  ctx.emit(stockRecipeChanged, view);
  return view;
}

/**
 * Takes what sold lines consume out of stock, one sale movement per stock item. Items are locked
 * in id order so two closing orders sharing ingredients queue instead of deadlocking.
 */
export async function consumeForSale(ctx: CommandContext, orderId: string, lines: ReadonlyArray<{ productId: string; quantity: number }>, reason: string): Promise<void> {
  const productIds = [...new Set(lines.map((l) => l.productId))];
  if (productIds.length === 0) return;
  const components = await ctx.em.find(RecipeComponent, { product: { $in: productIds } });
  const needed = new Map<string, number>();
  for (const line of lines) {
    for (const c of components.filter((x) => x.product.id === line.productId)) {
      needed.set(c.stockItem.id, (needed.get(c.stockItem.id) ?? 0) + c.quantity * line.quantity);
    }
  }
  for (const stockItemId of [...needed.keys()].sort()) {
    await move(ctx, await lockItem(ctx, stockItemId), { kind: 'sale', quantity: -needed.get(stockItemId)!, reason, orderId });
  }
}
