import { posOutletCreate, posOutletUpdate, posProductCreate, posProductUpdate, posTerminalRegister } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createOutlet, createProduct, registerTerminal, updateOutlet, updateProduct } from './outlet.service.ts';

const byOutlet = byEntity('pos_outlet', 'outletId');

export const outletHandlers = [
  defineHandler(posOutletCreate, { scope: byPropertyId, handle: createOutlet }),
  defineHandler(posOutletUpdate, { scope: byOutlet, handle: updateOutlet }),
  defineHandler(posProductCreate, { scope: byOutlet, handle: createProduct }),
  defineHandler(posProductUpdate, { scope: byEntity('pos_product', 'productId'), handle: updateProduct }),
  defineHandler(posTerminalRegister, { scope: byOutlet, handle: registerTerminal }),
];
