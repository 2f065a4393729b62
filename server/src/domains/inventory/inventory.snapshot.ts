import type { EntityManager } from '@mikro-orm/postgresql';
import type { InventorySnapshot, RecipeView } from '@innboard/shared';
import { RecipeComponent, StockItem } from './entities.ts';
import { toStockItemView } from './stock.service.ts';

/** The inventory part of the property snapshot: stock on hand and the recipes that consume it. */
export async function inventorySnapshot(em: EntityManager, propertyId: string): Promise<InventorySnapshot> {
  const items = await em.find(StockItem, { property: propertyId }, { orderBy: { name: 'asc' } });
  const components = await em.find(RecipeComponent, { property: propertyId });
  const recipes = new Map<string, RecipeView>();
  for (const c of components) {
    const recipe = recipes.get(c.product.id) ?? { productId: c.product.id, components: [] };
    recipe.components.push({ stockItemId: c.stockItem.id, quantity: c.quantity });
    recipes.set(c.product.id, recipe);
  }
  return { stockItems: items.map(toStockItemView), recipes: [...recipes.values()] };
}
