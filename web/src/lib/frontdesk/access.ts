import { DEFAULT_ROLE_PERMISSIONS, type Permission } from '@innboard/shared';
import { live } from '#lib/live/store.svelte.ts';

/**
 * Whether the signed-in user may do this at the current property, so the board hides or disables what
 * the server would refuse (the server still checks). Reactive: reads `live.membership`.
 * A session from before memberships carried permissions falls back to the role's defaults.
 */
export function can(permission: Permission): boolean {
  const m = live.membership;
  if (!m) return false;
  return (m.permissions ?? DEFAULT_ROLE_PERMISSIONS[m.role] ?? []).includes(permission);
}
