import { collabEntities } from '../domains/collab/entities.ts';
import { auditEntities } from '../audit/entities.ts';
import { billingEntities } from '../domains/billing/entities.ts';
import { housekeepingEntities } from '../domains/housekeeping/entities.ts';
import { propertyEntities } from '../domains/property/entities.ts';
import { reservationEntities } from '../domains/reservations/entities.ts';
import { guestSiteEntities } from '../domains/guest-site/entities.ts';
import { notificationEntities } from '../notifications/entities.ts';
import { reviewEntities } from '../domains/reviews/entities.ts';
import { eventEntities } from '../events/entities.ts';
import { identityEntities } from '../identity/entities.ts';
import { posEntities } from '../domains/pos/entities.ts';
import { inventoryEntities } from '../domains/inventory/entities.ts';

/** Every Postgres entity; each domain adds its list here. */
export const entities = [
  ...propertyEntities, ...reservationEntities, ...housekeepingEntities, ...identityEntities, ...eventEntities, ...auditEntities,
  ...billingEntities,
  ...posEntities, ...inventoryEntities, ...collabEntities,
  ...guestSiteEntities, ...notificationEntities, ...reviewEntities,
];
