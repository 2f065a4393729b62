import { ROOM_STATUSES, type RoomStatus } from '@innboard/shared';

export { ROOM_STATUSES };

export const STATUS_LABEL: Record<RoomStatus, string> = {
  clean: 'Clean',
  dirty: 'Dirty',
  inspected: 'Inspected',
  out_of_order: 'Out of order',
  out_of_service: 'Out of service',
};

export const STATUS_HINT: Record<RoomStatus, string> = {
  clean: 'Cleaned, waiting for inspection',
  dirty: 'Needs cleaning',
  inspected: 'Checked and ready to sell',
  out_of_order: 'Broken; cannot be sold',
  out_of_service: 'Temporarily held back, sellable soon',
};

export function isRoomStatus(value: string): value is RoomStatus {
  return (ROOM_STATUSES as readonly string[]).includes(value);
}
