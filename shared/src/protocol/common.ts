import { z } from 'zod';

export const id = z.uuid();
/** A hotel calendar date (YYYY-MM-DD) in the property's own time zone; never a timestamp. */
export const hotelDate = z.iso.date();
/** Money in integer minor units (cents). */
export const minorUnits = z.number().int();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');
