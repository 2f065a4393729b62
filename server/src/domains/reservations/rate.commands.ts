import { offerCreate, offerUpdate, ratePlanCreate, ratePlanGrid, ratePlanSetPrices, ratePlanSetRestrictions, ratePlanUpdate } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createOffer, createRatePlan, rateGrid, setPrices, setRestrictions, updateOffer, updateRatePlan } from './rates.service.ts';

const byRatePlan = byEntity('rate_plan', 'ratePlanId');

export const rateHandlers = [
  defineHandler(ratePlanCreate, { scope: byPropertyId, handle: createRatePlan }),
  defineHandler(ratePlanUpdate, { scope: byRatePlan, handle: updateRatePlan }),
  defineHandler(ratePlanSetPrices, { scope: byRatePlan, handle: setPrices }),
  defineHandler(ratePlanSetRestrictions, { scope: byRatePlan, handle: setRestrictions }),
  defineHandler(ratePlanGrid, { scope: byPropertyId, handle: rateGrid }),
  defineHandler(offerCreate, { scope: byPropertyId, handle: createOffer }),
  defineHandler(offerUpdate, { scope: byEntity('offer', 'offerId'), handle: updateOffer }),
];
