import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RoleName } from '../access/roles.ts';
import { isId } from '../shared/ids.ts';
import { ApiKeyEntity } from './api-key.entity.ts';

/**
 * A key's secret is `<keyId>.<43 characters>`: the public prefix names the
 * item to check against, the rest is 256 random bits. Only its SHA-256 is
 * stored: with that much entropy a fast hash cannot be brute-forced, and the
 * authorizer checks it on every request.
 */
export const newApiKeySecret = (keyId: string): { secret: string; secretHash: string } => {
  const secret = `${keyId}.${randomBytes(32).toString('base64url')}`;
  return { secret, secretHash: hashOf(secret) };
};

const hashOf = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export interface VerifiedApiKey {
  keyId: string;
  orgId: string;
  role: RoleName;
  /** The usage-plan key API Gateway throttles this key by; absent locally. */
  usageKeyValue: string | null;
}

/**
 * The key a presented secret belongs to, or null for an unknown, revoked,
 * expired or wrong secret (all alike to the caller: a 401). One GetItem.
 */
export const verifyApiKey = async (presented: string, now: number = Date.now()): Promise<VerifiedApiKey | null> => {
  const [keyId, rest, extra] = presented.trim().split('.');
  if (!keyId || !rest || extra !== undefined || !isId('key', keyId) || presented.length > 200) return null;
  const { data } = await ApiKeyEntity.get({ keyId }).go();
  if (!data) return null;
  const expected = Buffer.from(data.secretHash, 'hex');
  const given = Buffer.from(hashOf(presented.trim()), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (data.validUntil && Date.parse(data.validUntil) <= now) return null;
  return { keyId, orgId: data.orgId, role: data.role, usageKeyValue: data.usageKeyValue ?? null };
};
