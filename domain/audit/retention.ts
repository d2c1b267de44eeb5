import { optionalEnv } from '../shared/config.ts';

/** How long entries are kept before the table's TTL removes them (AUDIT_RETENTION_DAYS, set by the stack from context). */
export const auditRetentionDays = (): number => {
  const value = Number(optionalEnv('AUDIT_RETENTION_DAYS') ?? 400);
  if (!Number.isFinite(value) || value <= 0) throw new Error('AUDIT_RETENTION_DAYS must be a positive number of days');
  return value;
};

export const expiryOf = (at: string): number => Math.floor(Date.parse(at) / 1000) + Math.round(auditRetentionDays() * 24 * 60 * 60);
