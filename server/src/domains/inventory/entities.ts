import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { MOVEMENT_KINDS, STOCK_UNITS } from '@innboard/shared';
import { Property } from '../property/entities.ts';
import { Product } from '../pos/entities.ts';

const StockItemSchema = defineEntity({
  name: 'StockItem',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    name: p.string().length(120),
    unit: p.enum(STOCK_UNITS),
    /** On hand in base units; the movements are its history. */
    quantity: p.integer().default(0),
    lowThreshold: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property'] }],
});
export class StockItem extends StockItemSchema.class {}
StockItemSchema.setClass(StockItem);

const StockMovementSchema = defineEntity({
  name: 'StockMovement',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    stockItem: () => p.manyToOne(StockItem),
    kind: p.enum(MOVEMENT_KINDS),
    /** Signed: + into stock, - out of it. */
    quantity: p.integer(),
    /** Stock on hand after this movement. */
    balance: p.integer(),
    reason: p.string().length(500),
    orderId: p.uuid().nullable(),
    userId: p.uuid(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['stockItem', 'at'] }],
});
export class StockMovement extends StockMovementSchema.class {}
StockMovementSchema.setClass(StockMovement);

/** What one unit of a product consumes. */
const RecipeComponentSchema = defineEntity({
  name: 'RecipeComponent',
  properties: {
    product: () => p.manyToOne(Product).primary(),
    stockItem: () => p.manyToOne(StockItem).primary(),
    property: () => p.manyToOne(Property),
    quantity: p.integer(),
  },
});
export class RecipeComponent extends RecipeComponentSchema.class {}
RecipeComponentSchema.setClass(RecipeComponent);

export const inventoryEntities = [StockItem, StockMovement, RecipeComponent];
