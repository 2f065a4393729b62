export * from './protocol/envelope.ts';
export * from './protocol/define.ts';
export * from './protocol/common.ts';
export * from './protocol/permissions.ts';
export * from './protocol/auth.ts';
export * from './protocol/property.ts';
export * from './protocol/catalog.ts';
