import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Property } from '../domains/property/entities.ts';

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    email: p.string().length(254).unique(),
    name: p.string().length(200),
    passwordHash: p.string().length(300).hidden(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);

/** A role is a named permission set; roles are data so a property can tune them. */
const RoleSchema = defineEntity({
  name: 'Role',
  properties: {
    name: p.string().length(50).primary(),
    permissions: p.array(),
    version: p.integer().version(),
  },
});
export class Role extends RoleSchema.class {}
RoleSchema.setClass(Role);

const MembershipSchema = defineEntity({
  name: 'Membership',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    user: () => p.manyToOne(User),
    property: () => p.manyToOne(Property),
    role: () => p.manyToOne(Role),
  },
  uniques: [{ properties: ['user', 'property'] }],
});
export class Membership extends MembershipSchema.class {}
MembershipSchema.setClass(Membership);

/**
 * One refresh token. Tokens of one login share a family; presenting a token that was already
 * rotated revokes the whole family (a stolen token is useless once either party uses it).
 */
const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'auth_session',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    user: () => p.manyToOne(User),
    family: p.uuid().index(),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);

export const identityEntities = [User, Role, Membership, Session];
