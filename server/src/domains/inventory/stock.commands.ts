import { stockAdjust, stockItemCreate, stockItemUpdate, stockReceive, stockRecipeSet, stockWaste } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { adjustStock, createStockItem, receiveStock, setRecipe, updateStockItem, wasteStock } from './stock.service.ts';

const byStockItem = byEntity('stock_item', 'stockItemId');

export const stockHandlers = [
  defineHandler(stockItemCreate, { scope: byPropertyId, handle: createStockItem }),
  defineHandler(stockItemUpdate, { scope: byStockItem, handle: updateStockItem }),
  defineHandler(stockReceive, { scope: byStockItem, handle: receiveStock }),
  defineHandler(stockAdjust, { scope: byStockItem, handle: adjustStock }),
  defineHandler(stockWaste, { scope: byStockItem, handle: wasteStock }),
  defineHandler(stockRecipeSet, { scope: byEntity('pos_product', 'productId'), handle: setRecipe }),
];
