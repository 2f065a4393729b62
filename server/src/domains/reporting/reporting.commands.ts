import { reportOccupancy } from '@innboard/shared';
import { byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { occupancyReport } from './occupancy.service.ts';

export const reportingHandlers = [defineHandler(reportOccupancy, { scope: byPropertyId, handle: occupancyReport })];
