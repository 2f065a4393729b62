import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS, taskAssign, taskInspect, taskStart } from '@innboard/shared';
import { reservationCancel } from '@innboard/shared/protocol/reservations';

// The default grants the medium tests rely on; the reservation commands are not in this branch's
// catalog yet, so their refusal is checked against the permission they declare.
describe('default housekeeping grants', () => {
  const has = (role: keyof typeof DEFAULT_ROLE_PERMISSIONS, permission: string) => DEFAULT_ROLE_PERMISSIONS[role].includes(permission as never);

  it('a housekeeper works tasks but neither assigns, inspects nor cancels reservations', () => {
    expect(has('housekeeper', taskStart.permission)).toBe(true);
    expect(has('housekeeper', taskAssign.permission)).toBe(false);
    expect(has('housekeeper', taskInspect.permission)).toBe(false);
    expect(has('housekeeper', reservationCancel.permission)).toBe(false);
  });

  it('the front desk cannot inspect; the supervisor can assign and inspect', () => {
    expect(has('front_desk', taskInspect.permission)).toBe(false);
    expect(has('housekeeping_supervisor', taskAssign.permission)).toBe(true);
    expect(has('housekeeping_supervisor', taskInspect.permission)).toBe(true);
  });
});
