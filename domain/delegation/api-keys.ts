import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { assertMayAssign } from '../access/members.ts';
import type { RoleName } from '../access/roles.ts';
import { tombstoneFor } from '../db/deletion.ts';
import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { Page } from '../orgs/org-lists.ts';
import { defaultLimit } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ApiKeyEntity, type ApiKeyItem } from './api-key.entity.ts';
import { maxKeyLifetimeDays } from './api-key-lifetime.ts';
import { newApiKeySecret } from './api-key-secret.ts';
import { registerUsageKey, removeUsageKey } from './usage-plan.ts';

export interface ApiKeyView {
  id: string;
  orgId: string;
  name: string;
  role: RoleName;
  /** `expired` once `expiresAt` has passed: the key is refused from then on, and stays listed until revoked. */
  status: 'active' | 'expired';
  expiresAt: string | null;
  createdAt: string;
  /** The person who created the key. */
  createdBy: string | null;
  version: number;
}

/** A key as its creation answers it: the secret is there once, and null on an Idempotency-Key replay. */
export interface CreatedApiKeyView extends ApiKeyView {
  secret: string | null;
}

export const toApiKeyView = (item: ApiKeyItem, now: number = Date.now()): ApiKeyView => ({
  id: item.keyId,
  orgId: item.orgId,
  name: item.name,
  role: item.role,
  status: item.validUntil !== undefined && Date.parse(item.validUntil) <= now ? 'expired' : 'active',
  expiresAt: item.validUntil ?? null,
  createdAt: item.createdAt,
  createdBy: item.writtenBy.userId ?? null,
  version: item.version,
});

/**
 * Keys are credentials a person hands to a machine: neither a key (which
 * would let a leaked key mint itself successors or revoke the keys that
 * replace it) nor an impersonation session (whose access ends within the
 * hour, while a key would outlive it) may create or revoke one.
 */
const assertUserCaller = (access: AccessRequest, verb: 'create' | 'revoke'): void => {
  if (access.caller.principalType === 'user') return;
  throw new ForbiddenError(`Only a signed-in person may ${verb} API keys, not an ${access.caller.principalType} credential`, {
    extensions: { rule: 'users-only' },
  });
};

/** The keys of an org, never their secrets or hashes: one Query per page alongside the authorization reads. */
export const listApiKeys = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<ApiKeyView>> => {
  const binding = JSON.stringify(['api-keys', orgId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizeOn(access, orgId),
    ApiKeyEntity.query.keysOfOrg({ orgId }).go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const now = Date.now();
  return {
    items: page.data.map((item) => toApiKeyView(item, now)),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};

export interface NewApiKey {
  name: string;
  role: RoleName;
  /** ISO 8601; absent, the key lives until it is revoked. */
  expiresAt?: string | undefined;
}

const expiryOf = (expiresAt: string | undefined, now: number): string | undefined => {
  if (expiresAt === undefined) return undefined;
  const at = Date.parse(expiresAt);
  const latest = now + maxKeyLifetimeDays * 24 * 60 * 60 * 1000;
  const message = at <= now ? 'must be in the future' : at > latest ? `must be at most ${maxKeyLifetimeDays} days away` : null;
  if (message) throw new ValidationError(`The key's expiry ${message}`, { errors: [{ path: 'body.expiresAt', message }] });
  return new Date(at).toISOString();
};

/**
 * Creates an API key for a partner org: a role that fits a partner and that
 * the creator holds there in full (no escalation), an optional expiry at
 * most two years away. Only people create keys, and only partners hold them
 * (DESIGN.md: a partner's integration; a channel or the platform acts
 * through its people). The secret is returned here and never again: only
 * its SHA-256 is stored. In a deployed stack the key also gets its usage-plan
 * key, which the authorizer names so API Gateway throttles the integration;
 * if the item cannot be written, that usage key is removed again.
 */
export const createApiKey = async (
  access: AccessRequest,
  orgId: string,
  input: NewApiKey,
  actor: Actor,
  options: { keyId?: string; now?: Date } = {},
): Promise<CreatedApiKeyView> => {
  const { org, grants } = await authorizeOn(access, orgId);
  assertUserCaller(access, 'create');
  assertMayAssign(grants, org, input.role, 'assign');
  if (org.kind !== 'partner') {
    throw new ConflictError(`API keys belong to partner orgs; ${orgId} is a ${org.kind}`, { extensions: { rule: 'partner-orgs-only' } });
  }
  const now = options.now ?? new Date();
  const validUntil = expiryOf(input.expiresAt, now.getTime());
  const keyId = options.keyId ?? newId('key', now.getTime());
  const { secret, secretHash } = newApiKeySecret(keyId);
  const at = now.toISOString();
  const usageKey = await registerUsageKey(keyId, orgId);
  const item: ApiKeyItem = {
    keyId,
    orgId,
    name: input.name,
    role: input.role,
    secretHash,
    ...(usageKey ? { usageKeyId: usageKey.id, usageKeyValue: usageKey.value } : {}),
    ...(validUntil ? { validUntil } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
    writtenBy: writtenBy(actor, at),
  };
  try {
    await transact(
      () =>
        db.transaction
          .write(({ apiKey, org: orgs }) => [
            apiKey.create(item).commit(),
            // The org may have been deleted since it was read: a key must never outlive its org.
            orgStillExists(orgs, orgId),
          ])
          .go(),
      (index) => (index === 0 ? new ConflictError(`API key ${keyId} already exists`) : new NotFoundError(`Org ${orgId} was not found`)),
    );
  } catch (error) {
    if (usageKey) await removeUsageKey(usageKey.id);
    throw error;
  }
  return { ...toApiKeyView(item, now.getTime()), secret };
};

export interface RevokedApiKey {
  keyId: string;
  /** A usage-plan key that could not be deleted (the partner key itself is revoked all the same); for the operators' log. */
  strayUsageKeyId: string | null;
}

/**
 * Revokes (deletes) a key of an org, with a tombstone naming who did it; the
 * authorizer reads the key's item on every call, so the next call with it is
 * a 401. The key is read alongside the authorization and judged after it, so
 * nobody outside the org learns which keys exist. Its usage-plan key goes
 * after the item: should that fail, the partner key is revoked all the same
 * and the stray usage key is reported (it throttles nothing nobody can name).
 */
export const revokeApiKey = async (access: AccessRequest, orgId: string, keyId: string, actor: Actor): Promise<RevokedApiKey> => {
  const [{ org }, found] = await Promise.all([authorizeOn(access, orgId), ApiKeyEntity.get({ keyId }).go()]);
  assertUserCaller(access, 'revoke');
  const key = found.data;
  if (!key || key.orgId !== orgId) throw new NotFoundError(`API key ${keyId} was not found here`);
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write(({ apiKey, tombstone }) => [
          apiKey
            .delete({ keyId })
            .where((attr, { eq }) => eq(attr.version, key.version))
            .commit(),
          tombstone.put(tombstoneFor(ApiKeyEntity.delete({ keyId }), key, 'apiKey', org, by)).commit(),
        ])
        .go(),
    () => new NotFoundError(`API key ${keyId} was not found here`),
  );
  if (!key.usageKeyId) return { keyId, strayUsageKeyId: null };
  try {
    await removeUsageKey(key.usageKeyId);
    return { keyId, strayUsageKeyId: null };
  } catch {
    return { keyId, strayUsageKeyId: key.usageKeyId };
  }
};
