import { posShiftReport } from '@innboard/shared';
import { byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { shiftReport } from './shift-report.service.ts';

export const shiftReportHandlers = [defineHandler(posShiftReport, { scope: byPropertyId, handle: shiftReport })];
