import { z } from 'zod';
import type { Permission, RoleName } from './permissions.ts';

export const loginRequest = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});
export const refreshRequest = z.object({ refreshToken: z.string().min(10).max(2000) });
export const logoutRequest = refreshRequest;

export interface Membership {
  propertyId: string;
  propertyName: string;
  role: RoleName;
  /** What the role may do here, so the board can hide actions it would be refused. */
  permissions: Permission[];
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  memberships: Membership[];
}

export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: SessionUser;
}
