import { z } from 'zod';
import { defineCommand } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';

export const reportOccupancy = defineCommand('report.occupancy', {
  permission: 'report.read',
  description: 'Occupancy, ADR and RevPAR per hotel day plus today\'s front-desk counts. Emits no event; boards refetch on reservation events.',
  payload: z.object({ propertyId: id, from: hotelDate, days: z.number().int().min(1).max(366) }),
});

export const occupancyDay = z.object({
  date: hotelDate,
  /** Rooms of the property minus rooms out of order that night. */
  available: z.number().int(),
  outOfOrder: z.number().int(),
  /** Room-nights sold (tentative, confirmed, in-house and departed stays). */
  sold: z.number().int(),
  /** sold / available x 100, one decimal. */
  occupancy: z.number(),
  /** Room revenue of the night. */
  revenue: minorUnits,
  /** Average daily rate: revenue / sold. */
  adr: minorUnits,
  /** Revenue per available room: revenue / available. */
  revpar: minorUnits,
  arrivals: z.number().int(),
  departures: z.number().int(),
  /** Stays over the night of the date. */
  inHouse: z.number().int(),
});
export type OccupancyDay = z.infer<typeof occupancyDay>;

export const occupancyReport = z.object({
  currency,
  businessDate: hotelDate,
  days: z.array(occupancyDay),
  /** Live counts for the business date. */
  today: z.object({
    date: hotelDate,
    available: z.number().int(),
    sold: z.number().int(),
    occupancy: z.number(),
    arrivalsExpected: z.number().int(),
    arrivalsCheckedIn: z.number().int(),
    departuresExpected: z.number().int(),
    departuresCheckedOut: z.number().int(),
    inHouse: z.number().int(),
  }),
});
export type OccupancyReport = z.infer<typeof occupancyReport>;

export const reportingCommands = [reportOccupancy] as const;
export const reportingEvents = [] as const;
