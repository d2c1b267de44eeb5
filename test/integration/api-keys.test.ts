import { createHash } from 'node:crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#domain/access/caller';
import { roleNames } from '#domain/access/roles';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { countCalls } from '#domain/db/call-counter';
import { systemActor } from '#domain/db/written-by';
import { createApiKey, listApiKeys, revokeApiKey } from '#domain/delegation/api-keys';
import { listChildOrgs } from '#domain/orgs/org-lists';
import { createChildOrg, deleteOrg, getOrg } from '#domain/orgs/orgs';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#domain/shared/errors';
import { handler as authorizer } from '#functions/authorizer/handler';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { itemsOf, scanTable } from '../property/support/table.ts';
import { actor, as, member, smallHierarchy, unique } from './support/fixture.ts';

/**
 * API keys on DynamoDB Local: created through the domain, presented to the
 * real authorizer as `x-api-key`, then used as the caller it resolves, the
 * way API Gateway hands it to a route's function.
 */

type Hierarchy = Awaited<ReturnType<typeof smallHierarchy>>;
let h: Hierarchy;
let partnerAdmin: Caller;
let poller: StreamPoller;

beforeAll(async () => {
  const { streamArn } = await createTable({ endpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: process.env.TABLE_NAME ?? '' });
  poller = await startStreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: process.env.TABLE_NAME ?? '',
    streamArn,
    lambda: createLambdaRuntime(),
    log: () => undefined,
    retryDelayMs: 5,
  });
  h = await smallHierarchy();
  partnerAdmin = await member(h.admin, h.partnerA.id, 'partner-admin');
});
afterAll(async () => {
  await poller?.stop();
});

const authorize = (headers: Record<string, string>): Promise<APIGatewayAuthorizerResult> =>
  authorizer({
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:local:000000000000:api/local/GET/v1/me',
    headers,
  } as unknown as APIGatewayRequestAuthorizerEvent);

/** The caller a route's function sees after the authorizer let a key in (functions/http/request.ts reads the same context). */
const callerOfKey = async (secret: string): Promise<Caller> => {
  const { context } = await authorize({ 'x-api-key': secret });
  return {
    principalId: String(context?.apiKeyId),
    principalType: 'api-key',
    keyOrgId: String(context?.keyOrgId),
    keyRole: roleNames.find((role) => role === context?.keyRole) ?? 'read-only',
  };
};

const newKey = (role: (typeof roleNames)[number] = 'partner-admin', expiresAt?: string, now?: Date) =>
  createApiKey(
    as(partnerAdmin, 'api-key:write'),
    h.partnerA.id,
    { name: unique('Integration '), role, ...(expiresAt ? { expiresAt } : {}) },
    { ...actor, userId: partnerAdmin.principalId },
    now ? { now } : {},
  );

describe('creating a key', () => {
  it('shows the secret once and stores only its hash', async () => {
    // Act
    const key = await newKey('partner-technician');

    // Assess
    expect(key).toMatchObject({ orgId: h.partnerA.id, role: 'partner-technician', status: 'active', expiresAt: null, version: 1 });
    expect(key.secret).toMatch(new RegExp(`^${key.id}\\.[\\w-]{43}$`));
    const items = await scanTable();
    const stored = itemsOf(items, 'apiKey').find((item) => item.keyId === key.id);
    expect(stored?.secretHash).toBe(
      createHash('sha256')
        .update(key.secret ?? '')
        .digest('hex'),
    );
    expect(JSON.stringify(items)).not.toContain((key.secret ?? '').split('.')[1]);
    // No usage plan locally: no usage-plan key either.
    expect(stored?.usageKeyValue).toBeUndefined();
  });

  it('lists keys without secrets or hashes, in one round trip', async () => {
    // Prepare
    const key = await newKey('read-only');

    // Act
    const { result, calls } = await countCalls(() => listApiKeys(as(partnerAdmin, 'api-key:read'), h.partnerA.id, { limit: 100 }));

    // Assess
    const listed = result.items.find((item) => item.id === key.id);
    expect(listed).toEqual({
      id: key.id,
      orgId: h.partnerA.id,
      name: key.name,
      role: 'read-only',
      status: 'active',
      expiresAt: null,
      createdAt: key.createdAt,
      createdBy: partnerAdmin.principalId,
      version: 1,
    });
    expect(JSON.stringify(result)).not.toMatch(/secret|hash/i);
    // The org, the caller's grants and the page, in parallel.
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('refuses a role the creator does not hold, a role no partner holds, an expiry out of bounds, and orgs that are not partners', async () => {
    // Prepare
    const technician = await member(h.admin, h.partnerA.id, 'partner-technician');
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();

    // Act / Assess
    await expect(createApiKey(as(technician, 'api-key:write'), h.partnerA.id, { name: 'x', role: 'partner-admin' }, actor)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(newKey('customer-admin')).rejects.toThrow(ValidationError);
    await expect(newKey('read-only', new Date(Date.now() - 1000).toISOString())).rejects.toMatchObject({
      errors: [{ path: 'body.expiresAt', message: 'must be in the future' }],
    });
    await expect(newKey('read-only', new Date(Date.now() + 731 * 86_400_000).toISOString())).rejects.toMatchObject({
      errors: [{ path: 'body.expiresAt', message: 'must be at most 730 days away' }],
    });
    await expect(createApiKey(as(h.admin, 'api-key:write'), h.customerA.id, { name: 'x', role: 'read-only' }, actor)).rejects.toMatchObject(
      { statusCode: 409, extensions: { rule: 'partner-orgs-only' } },
    );
    await expect(createApiKey(as(h.admin, 'api-key:write'), h.channel.id, { name: 'x', role: 'read-only' }, actor)).rejects.toThrow(
      ConflictError,
    );
    await expect(newKey('read-only', inAYear)).resolves.toMatchObject({ expiresAt: inAYear });
  });
});

describe('a key at work', () => {
  it('is accepted by the authorizer and acts with its role over its org’s subtree, and nowhere else', async () => {
    // Prepare
    const key = await newKey('partner-admin');

    // Act
    const result = await authorize({ 'x-api-key': key.secret ?? '' });
    const caller = await callerOfKey(key.secret ?? '');

    // Assess
    expect(result).toMatchObject({
      principalId: key.id,
      context: { principalType: 'api-key', apiKeyId: key.id, keyOrgId: h.partnerA.id, keyRole: 'partner-admin' },
    });
    const children = await listChildOrgs(as(caller, 'org:read'), h.partnerA.id, { limit: 100 });
    expect(children.items.map((org) => org.id).sort()).toEqual([h.subA.id, h.customerA.id].sort());
    await expect(getOrg(as(caller, 'org:read'), h.customerSubA.id)).resolves.toMatchObject({ id: h.customerSubA.id });
    // A sibling partner and what is above the key's org are out of its sight: 404, as for an org that does not exist.
    await expect(getOrg(as(caller, 'org:read'), h.partnerB.id)).rejects.toThrow(NotFoundError);
    await expect(getOrg(as(caller, 'org:read'), h.customerB.id)).rejects.toThrow(NotFoundError);
    await expect(getOrg(as(caller, 'org:read'), h.channel.id)).rejects.toThrow(NotFoundError);
  });

  it('costs one GetItem in the authorizer and none for grants in the handler: its org and role come with the call', async () => {
    // Prepare
    const key = await newKey('read-only');

    // Act
    const authorizing = await countCalls(() => authorize({ 'x-api-key': key.secret ?? '' }));
    const caller = await callerOfKey(key.secret ?? '');
    const reading = await countCalls(() => getOrg(as(caller, 'org:read'), h.customerA.id));

    // Assess
    expect(authorizing.calls.byCommand).toEqual({ GetItemCommand: 1 });
    expect(reading.calls.byCommand).toEqual({ GetItemCommand: 1 });
  });

  it('holds only its role: a read-only key reads but cannot create', async () => {
    // Prepare
    const caller = await callerOfKey((await newKey('read-only')).secret ?? '');

    // Act / Assess
    await expect(getOrg(as(caller, 'org:read'), h.customerA.id)).resolves.toBeTruthy();
    await expect(createChildOrg(as(caller, 'org:create'), h.partnerA.id, { kind: 'customer', name: 'No' }, actor)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('may not create or revoke keys itself, whatever its role', async () => {
    // Prepare
    const other = await newKey('read-only');
    const caller = await callerOfKey((await newKey('partner-admin')).secret ?? '');

    // Act / Assess
    await expect(createApiKey(as(caller, 'api-key:write'), h.partnerA.id, { name: 'x', role: 'read-only' }, actor)).rejects.toMatchObject({
      statusCode: 403,
      extensions: { rule: 'users-only' },
    });
    await expect(revokeApiKey(as(caller, 'api-key:write'), h.partnerA.id, other.id, actor)).rejects.toMatchObject({
      statusCode: 403,
      extensions: { rule: 'users-only' },
    });
    // Outside its org it learns nothing, not even that the rule exists.
    await expect(revokeApiKey(as(caller, 'api-key:write'), h.partnerB.id, other.id, actor)).rejects.toThrow(NotFoundError);
  });

  it('stops on the next call once revoked, and leaves a tombstone naming who revoked it', async () => {
    // Prepare
    const key = await newKey('read-only');
    await expect(authorize({ 'x-api-key': key.secret ?? '' })).resolves.toBeTruthy();

    // Act
    await revokeApiKey(as(partnerAdmin, 'api-key:write'), h.partnerA.id, key.id, actor);

    // Assess
    await expect(authorize({ 'x-api-key': key.secret ?? '' })).rejects.toThrow('Unauthorized');
    const listed = await listApiKeys(as(partnerAdmin, 'api-key:read'), h.partnerA.id, { limit: 100 });
    expect(listed.items.map((item) => item.id)).not.toContain(key.id);
    await expect(revokeApiKey(as(partnerAdmin, 'api-key:write'), h.partnerA.id, key.id, actor)).rejects.toThrow(NotFoundError);
  });

  it('cannot be revoked through another org’s path', async () => {
    // Prepare
    const key = await newKey('read-only');

    // Act / Assess
    await expect(revokeApiKey(as(h.admin, 'api-key:write'), h.partnerB.id, key.id, actor)).rejects.toThrow(NotFoundError);
    await expect(authorize({ 'x-api-key': key.secret ?? '' })).resolves.toBeTruthy();
  });

  it('stops once expired, and is listed as expired', async () => {
    // Prepare: created ten days ago, expired five days ago.
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const key = await newKey('read-only', new Date(tenDaysAgo.getTime() + 5 * 86_400_000).toISOString(), tenDaysAgo);

    // Act / Assess
    await expect(authorize({ 'x-api-key': key.secret ?? '' })).rejects.toThrow('Unauthorized');
    const listed = await listApiKeys(as(partnerAdmin, 'api-key:read'), h.partnerA.id, { limit: 100 });
    expect(listed.items.find((item) => item.id === key.id)?.status).toBe('expired');
  });

  it('refuses a wrong secret for a real key, and a key beside a bearer token', async () => {
    // Prepare
    const key = await newKey('read-only');
    const secret = key.secret ?? '';

    // Act / Assess
    await expect(authorize({ 'x-api-key': `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` })).rejects.toThrow('Unauthorized');
    await expect(authorize({ 'x-api-key': key.id })).rejects.toThrow('Unauthorized');
    await expect(authorize({ 'x-api-key': secret, authorization: 'Bearer a.b.c' })).rejects.toThrow('Unauthorized');
  });

  it('keeps its org from being deleted until it is revoked', async () => {
    // Prepare
    const partner = await createChildOrg(as(h.admin, 'org:create'), h.channel.id, { kind: 'partner', name: unique('Doomed ') }, actor);
    const key = await createApiKey(as(h.admin, 'api-key:write'), partner.id, { name: 'x', role: 'read-only' }, actor);

    // Act / Assess
    await expect(deleteOrg(as(h.admin, 'org:delete'), partner.id, null, actor)).rejects.toMatchObject({
      extensions: { rule: 'has-api-keys' },
    });
    await revokeApiKey(as(h.admin, 'api-key:write'), partner.id, key.id, actor);
    await expect(deleteOrg(as(h.admin, 'org:delete'), partner.id, null, actor)).resolves.toBeUndefined();
  });
});

describe('audit', () => {
  it('records a key’s writes with the key as actor, and its creation and revocation without its hash', async () => {
    // Prepare
    const key = await newKey('partner-admin');
    const caller = await callerOfKey(key.secret ?? '');
    const keyActor = { ...systemActor('by-key'), apiKeyId: key.id };

    // Act
    const customer = await createChildOrg(
      as(caller, 'org:create'),
      h.partnerA.id,
      { kind: 'customer', name: unique('Via key ') },
      keyActor,
    );
    await revokeApiKey(as(partnerAdmin, 'api-key:write'), h.partnerA.id, key.id, { ...actor, userId: partnerAdmin.principalId });
    await poller.drained();

    // Assess
    const own = await AuditEntryEntity.query.byLog({ auditLog: customer.id }).go();
    expect(own.data).toEqual([expect.objectContaining({ action: 'org.created', actor: key.id, apiKeyId: key.id, requestId: 'by-key' })]);
    const partnerLog = await AuditEntryEntity.query.byLog({ auditLog: h.partnerA.id }).go({ pages: 'all' });
    const ofKey = partnerLog.data.filter((entry) => entry.targetId === key.id);
    expect(ofKey.map((entry) => entry.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    expect(ofKey.find((entry) => entry.action === 'api_key.revoked')?.actor).toBe(partnerAdmin.principalId);
    expect(JSON.stringify(ofKey)).not.toMatch(/secretHash|usageKey/);
  });
});
