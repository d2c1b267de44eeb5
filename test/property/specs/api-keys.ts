import type { ModelApiKey, ModelOrg } from '../model/model.ts';
import { type Kind, type Role, roleNames, roleTable } from '../model/rules.ts';
import {
  type Ctx,
  expectFields,
  fail,
  listBinding,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickListQuery,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

const day = 24 * 60 * 60 * 1000;
/** How far away a key's expiry may be (the product's bound); the generated expiries stay a day clear of it. */
const maxLifetimeDays = 730;

const orgOf = (ctx: Ctx, call: ParsedCall): ModelOrg => {
  const org = ctx.model.org(call.params.orgId as string);
  if (!org) throw new Error('the runner only asks `allowed` about orgs that exist');
  return org;
};

/** Half the time a partner (where keys live), else any target the runner's picker likes. */
const pickKeyOrgId = (ctx: Ctx, pick: Picker): string => {
  const partners = [...ctx.model.orgs.values()].filter((org) => org.kind === 'partner').map((org) => org.id);
  return partners.length > 0 && pick.chance(50) ? pick.one(partners) : pickOrgId(ctx, pick);
};

/** A key as the API lists it (never a secret or hash). */
const keyView = (key: ModelApiKey) => ({
  id: key.keyId,
  orgId: key.orgId,
  name: key.name,
  role: key.role,
  status: key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now() ? 'expired' : 'active',
  expiresAt: key.expiresAt,
  createdBy: key.createdBy,
  version: key.version,
});

const expectNoSecretFields = (what: string, item: unknown): void => {
  const fields = Object.keys((item ?? {}) as object);
  const leaked = fields.filter((field) => /secret|hash|usageKey/i.test(field));
  if (leaked.length > 0) mismatch(`${what} shows ${leaked.join(', ')}`);
};

export const listApiKeys: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({
    params: { orgId: pickKeyOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => listBinding('api-keys', call.params.orgId as string, {}),
  allowed: (ctx, call) => {
    const orgId = call.params.orgId as string;
    const expected = ctx.model
      .keysOf(orgId)
      .map((key) => key.keyId)
      .sort(byKey((id) => id));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, listBinding('api-keys', orgId, {}), call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates(`keys of ${orgId}`, ids);
        for (const item of walked.items) {
          const key = ctx.model.apiKeys.get(item.id as string);
          if (!key || key.orgId !== orgId) return mismatch(`keys of ${orgId} lists ${String(item.id)}, not a key of it`);
          expectFields(`key ${key.keyId}`, item, keyView(key));
          expectNoSecretFields(`key ${key.keyId}`, item);
        }
        if (walked.complete && call.query.cursor === undefined) expectSameIds(`keys of ${orgId}`, ids, expected, true);
      },
    };
  },
};

/** Expiries: none, near, far but within the bound, past, beyond the bound, or not a timestamp. */
const pickExpiry = (pick: Picker): string | undefined => {
  const at = (offset: number) => new Date(Date.now() + offset).toISOString();
  return pick.weighted<string | undefined>([
    [45, () => undefined],
    [20, () => at(day)],
    [10, () => at((maxLifetimeDays - 1) * day)],
    [10, () => at(-day)],
    [8, () => at((maxLifetimeDays + 1) * day)],
    [7, () => pick.one(['tomorrow', '2030-01-01', '2030-01-01T00:00:00+02:00'])],
  ]);
};

const assignableAt = (role: Role, kind: Kind): boolean => (roleTable[role].assignableAt as readonly Kind[]).includes(kind);

export const createApiKey: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createApiKey', (body) => ({ ...body, name: `${body.name} again` }));
    if (repeat) return repeat;
    const orgId = pickKeyOrgId(ctx, pick);
    const kind = ctx.model.org(orgId)?.kind;
    const fitting = kind ? roleNames.filter((role) => assignableAt(role, kind)) : [];
    const body: Record<string, unknown> = {
      name: pick.chance(88) ? pick.one(['Billing sync', ' RMM ', 'PSA connector']) : pick.one(['', 'x'.repeat(101), 'a\u0007b']),
      role: fitting.length > 0 && pick.chance(75) ? pick.one(fitting) : pick.one(roleNames),
    };
    const expiresAt = pickExpiry(pick);
    if (expiresAt !== undefined) body.expiresAt = expiresAt;
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const org = orgOf(ctx, call);
    const body = call.body as { name: string; role: Role; expiresAt?: string };
    const held = model.permissionsAt(principal, org.id);
    const failures: number[] = [];
    if (principal?.kind !== 'user') failures.push(403);
    if (!assignableAt(body.role, org.kind)) failures.push(400);
    if (!roleTable[body.role].permissions.every((permission) => held.has(permission))) failures.push(403);
    if (org.kind !== 'partner') failures.push(409);
    const expiry = body.expiresAt === undefined ? null : Date.parse(body.expiresAt);
    if (expiry !== null && (expiry <= Date.now() || expiry > Date.now() + maxLifetimeDays * day)) failures.push(400);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [201],
      mutates: true,
      // The stored reply never holds the secret in clear: a replay answers the same key without it.
      replayBody: (json) => ({ ...(json as object), secret: null }),
      accept: (response) => {
        const created = response.json as { id?: unknown; secret?: unknown } | undefined;
        const keyId = created?.id;
        if (typeof keyId !== 'string' || !/^key_[0-9a-z]{1,40}$/.test(keyId)) return mismatch(`the new key's id is ${String(keyId)}`);
        if (model.keySecrets.has(keyId)) return mismatch(`a new key got the id of another: ${keyId}`);
        const secret = created?.secret;
        if (typeof secret !== 'string' || !secret.startsWith(`${keyId}.`) || secret.length < keyId.length + 40) {
          return mismatch(`the new key's secret is ${JSON.stringify(secret)}`);
        }
        const key: ModelApiKey = {
          keyId,
          orgId: org.id,
          name: body.name,
          role: body.role,
          expiresAt: expiry === null ? null : new Date(expiry).toISOString(),
          createdBy: principal?.principalId ?? null,
          version: 1,
        };
        model.apiKeys.set(keyId, key);
        model.keySecrets.set(keyId, secret);
        expectFields('the new key', response.json, keyView(key));
        if (response.headers.etag !== '"1"') mismatch(`ETag is ${response.headers.etag}, the model says "1"`);
      },
    };
  },
};

/** A key id to revoke: one of the org's, any key ever made (revoked ones too), one of no key, or not a key id at all. */
const pickKeyId = (ctx: Ctx, pick: Picker, orgId: string): string => {
  const here = ctx.model.keysOf(orgId).map((key) => key.keyId);
  const ever = [...ctx.model.keySecrets.keys()];
  return pick.weighted([
    [here.length > 0 ? 55 : 0, () => pick.one(here)],
    [ever.length > 0 ? 25 : 0, () => pick.one(ever)],
    [12, () => pick.one(['key_0', 'key_a1', 'key_zz'])],
    [8, () => pick.one(['KEY_1', 'key_', 'org_a1', 'key_1.x', 'usr_1'])],
  ]);
};

export const revokeApiKey: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const keys = [...ctx.model.apiKeys.values()];
    if (keys.length > 0 && pick.chance(50)) {
      const key = pick.one(keys);
      return { params: { orgId: key.orgId, keyId: key.keyId } };
    }
    const orgId = pickKeyOrgId(ctx, pick);
    return { params: { orgId, keyId: pickKeyId(ctx, pick, orgId) } };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const org = orgOf(ctx, call);
    const key = model.apiKeys.get(call.params.keyId as string);
    const failures: number[] = [];
    if (principal?.kind !== 'user') failures.push(403);
    if (!key || key.orgId !== org.id) failures.push(404);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        model.apiKeys.delete(call.params.keyId as string);
      },
    };
  },
};
