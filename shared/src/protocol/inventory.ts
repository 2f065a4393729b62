import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { id } from './common.ts';

// Contract of inventory (issue 10): stock items counted in a base unit, product recipes that
// consume them when an order closes, and movements. Quantities are whole base units (ml, g, piece).

export const STOCK_UNITS = ['piece', 'ml', 'g'] as const;
export const stockUnit = z.enum(STOCK_UNITS);
export type StockUnit = z.infer<typeof stockUnit>;

/** receive: delivery in; sale: consumed by a closed order or minibar; waste: spoiled or broken; count: stocktake correction. */
export const MOVEMENT_KINDS = ['receive', 'sale', 'waste', 'count'] as const;
export const movementKind = z.enum(MOVEMENT_KINDS);
export type MovementKind = z.infer<typeof movementKind>;

const quantity = z.number().int().min(1).max(100_000_000);
const reason = z.string().trim().min(1).max(500);

export const stockItemCreate = defineCommand('stock.item.create', {
  permission: 'stock.manage',
  description: 'Create a stock item (a bottle of gin in ml, lemons in pieces) with its low-stock threshold.',
  payload: z.object({
    propertyId: id,
    name: z.string().trim().min(1).max(120),
    unit: stockUnit,
    lowThreshold: z.number().int().min(0).max(100_000_000),
  }),
});

export const stockItemUpdate = defineCommand('stock.item.update', {
  permission: 'stock.manage',
  description: 'Rename a stock item or change its low-stock threshold.',
  payload: z.object({ stockItemId: id, name: z.string().trim().min(1).max(120).optional(), lowThreshold: z.number().int().min(0).max(100_000_000).optional() }),
});

export const stockReceive = defineCommand('stock.receive', {
  permission: 'stock.manage',
  description: 'Book a delivery: quantity (base units) comes into stock.',
  payload: z.object({ stockItemId: id, quantity, reason }),
});

export const stockAdjust = defineCommand('stock.adjust', {
  permission: 'stock.manage',
  description: 'Stocktake: quantity is what was counted on hand (0 allowed); the difference is booked as a count movement.',
  payload: z.object({ stockItemId: id, quantity: z.number().int().min(0).max(100_000_000), reason }),
});

export const stockWaste = defineCommand('stock.waste', {
  permission: 'stock.manage',
  description: 'Book waste (spoiled, broken, spilled): quantity leaves stock.',
  payload: z.object({ stockItemId: id, quantity, reason }),
});

export const stockRecipeSet = defineCommand('stock.recipe.set', {
  permission: 'stock.manage',
  description: 'Set what one unit of a product consumes from stock (replaces its recipe; an empty list removes it).',
  payload: z.object({
    productId: id,
    components: z.array(z.object({ stockItemId: id, quantity })).max(30)
      .refine((c) => new Set(c.map((x) => x.stockItemId)).size === c.length, 'Each stock item once'),
  }),
});

export const stockItemView = z.object({
  stockItemId: id,
  name: z.string(),
  unit: stockUnit,
  /** On hand; may go below 0 when sales outrun the books (a count corrects it). */
  quantity: z.number().int(),
  lowThreshold: z.number().int(),
  /** quantity <= lowThreshold. */
  low: z.boolean(),
  version: z.number().int(),
});
export type StockItemView = z.infer<typeof stockItemView>;

export const recipeView = z.object({ productId: id, components: z.array(z.object({ stockItemId: id, quantity: z.number().int() })) });
export type RecipeView = z.infer<typeof recipeView>;

export const stockChanged = defineEvent('stock.changed', {
  description: 'A stock item was created, changed or moved; `movement` says how when it moved (quantity signed: + in, - out).',
  payload: z.object({ item: stockItemView, movement: z.object({ kind: movementKind, quantity: z.number().int(), reason: z.string(), orderId: id.nullable() }).nullable() }),
});

export const stockLow = defineEvent('stock.low', {
  description: 'A stock item fell to or below its low-stock threshold (raised once per crossing). For managers (stock.manage); other roles ignore it.',
  payload: z.object({ stockItemId: id, name: z.string(), unit: stockUnit, quantity: z.number().int(), lowThreshold: z.number().int() }),
});

export const stockRecipeChanged = defineEvent('stock.recipe.changed', { description: 'A product\'s recipe was set.', payload: recipeView });

/** The inventory part of the property snapshot. */
export type InventorySnapshot = {
  stockItems: StockItemView[];
  recipes: RecipeView[];
};

export const inventoryCommands = [stockItemCreate, stockItemUpdate, stockReceive, stockAdjust, stockWaste, stockRecipeSet] as const;
export const inventoryEvents = [stockChanged, stockLow, stockRecipeChanged] as const;
