import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeOn } from '#domain/access/authorize';
import { actorOf, type Caller } from '#domain/access/caller';
import { describeMe } from '#domain/access/me';
import { addMember, removeMember } from '#domain/access/members';
import { countCalls } from '#domain/db/call-counter';
import { endImpersonation } from '#domain/delegation/end-impersonation';
import { ImpersonationEntity } from '#domain/delegation/impersonation.entity';
import { ImpersonationListingEntity } from '#domain/delegation/impersonation-listing.entity';
import { listImpersonations } from '#domain/delegation/list-impersonations';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { startImpersonation } from '#domain/delegation/start-impersonation';
import { moveOrg } from '#domain/orgs/move';
import { OrgEntity } from '#domain/orgs/org.entity';
import { getOrg, updateOrg } from '#domain/orgs/orgs';
import { listMyCompanies } from '#domain/portal/companies';
import { ConflictError, ForbiddenError, NotFoundError, PartnerAccessOffError, UnauthorizedError } from '#domain/shared/errors';
import { type AuditStream, startAuditStream } from './support/audit-stream.ts';
import { actor, as, createOrg, member, smallHierarchy, unique, userCaller } from './support/fixture.ts';

/**
 * "Login As" through the domain on DynamoDB Local: a partner technician starts
 * a session in one customer and acts there as its admin, nowhere else; every
 * write records who acted and as what, down to the audit entry the stream
 * consumer builds; the session ends on DELETE, on expiry, when the technician
 * loses `impersonate`, and when the customer switches partner access off; the
 * lists show each org the sessions of its subtree.
 */

let world: Awaited<ReturnType<typeof smallHierarchy>>;
let audit: AuditStream;
let technician: Caller;
let partnerAdmin: Caller;
let customerAdmin: Caller;

const reason = 'Ticket 4711: the customer cannot add users';
const sessionCaller = (id: string, impersonatorId: string): Caller => ({ principalId: id, principalType: 'impersonation', impersonatorId });
const requestActor = (caller: Caller, requestId = unique('req')) => actorOf(caller, { requestId, sourceIp: '198.51.100.7' });

/** A session of `who` in `customerId`, and the caller its token stands for. */
const startAs = async (who: Caller, customerId: string, minutes = 30) => {
  const started = await startImpersonation(as(who, 'impersonate'), customerId, { reason, minutes }, requestActor(who));
  return { started, caller: sessionCaller(started.id, who.principalId) };
};

const sessionItem = async (id: string) => (await ImpersonationEntity.get({ impersonationId: id }).go({ consistent: true })).data;

beforeAll(async () => {
  // The local runtime's way to key session tokens (read at the first signature).
  process.env.IMPERSONATION_TOKEN_KEY ??= randomBytes(32).toString('base64url');
  world = await smallHierarchy();
  audit = await startAuditStream();
  [technician, partnerAdmin, customerAdmin] = await Promise.all([
    member(world.admin, world.partnerA.id, 'partner-technician'),
    member(world.admin, world.partnerA.id, 'partner-admin', true),
    member(world.admin, world.customerA.id, 'customer-admin', true),
  ]);
});
afterAll(async () => {
  await audit?.poller.stop();
});

describe('starting a session', () => {
  it('answers a token that acts as the customer’s admin in that customer only', async () => {
    // Act
    const { started, caller } = await startAs(technician, world.customerA.id);

    // Assess
    expect(started).toMatchObject({ id: expect.stringMatching(/^imp_/), customerId: world.customerA.id, actingRole: 'customer-admin' });
    expect(Date.parse(started.expiresAt) - Date.parse(started.startedAt)).toBe(30 * 60_000);
    await expect(authorizeOn(as(caller, 'member:write'), world.customerA.id)).resolves.toMatchObject({
      decision: { allowed: true, grant: { kind: 'impersonation', role: 'customer-admin' } },
    });
    // Not what the admin role lacks, and nowhere else: a sibling customer, one under the sub-reseller, the partner, another partner's.
    await expect(authorizeOn(as(caller, 'org:create'), world.customerA.id)).rejects.toBeInstanceOf(ForbiddenError);
    for (const elsewhere of [world.customerSubA.id, world.partnerA.id, world.subA.id, world.customerB.id]) {
      await expect(authorizeOn(as(caller, 'org:read'), elsewhere)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(listMyCompanies(caller)).resolves.toEqual({ items: [] });
    await expect(describeMe(caller)).resolves.toMatchObject({
      principalType: 'impersonation',
      userId: technician.principalId,
      memberships: [],
      impersonation: { id: started.id, orgId: world.customerA.id, impersonatorId: technician.principalId, actingRole: 'customer-admin' },
    });
  });

  it('stamps every write made with it with the session, the impersonator and the acting role, down to the audit entry', async () => {
    // Prepare
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const { started, caller } = await startAs(technician, customer.id);
    const requestId = unique('req');

    // Act
    await updateOrg(as(caller, 'org:update'), customer.id, { name: unique('Renamed ') }, null, requestActor(caller, requestId));

    // Assess
    const { data } = await OrgEntity.get({ orgId: customer.id }).go();
    expect(data?.writtenBy).toMatchObject({
      impersonationId: started.id,
      impersonatorId: technician.principalId,
      actingRole: 'customer-admin',
      requestId,
    });
    expect(data?.writtenBy).not.toHaveProperty('userId');
    const entries = await audit.entriesOf(customer.id);
    expect(entries.find((entry) => entry.action === 'org.renamed')).toMatchObject({
      actor: started.id,
      impersonator: technician.principalId,
      impersonationId: started.id,
      actingRole: 'customer-admin',
      requestId,
    });
    // The start itself is in the customer's chain (and its ancestors'), made by the technician.
    expect(entries.find((entry) => entry.action === 'impersonation.started')).toMatchObject({
      actor: technician.principalId,
      targetType: 'impersonation',
      targetId: started.id,
    });
    const partnerLog = await audit.entriesOf(world.partnerA.id);
    expect(partnerLog.some((entry) => entry.action === 'impersonation.started' && entry.targetId === started.id)).toBe(true);
    expect(audit.logLines.filter((line) => line.includes('gave up'))).toEqual([]);
  });

  it('ends the caller’s running session in the same customer (replaced), and leaves other people’s alone', async () => {
    // Prepare
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const first = await startAs(technician, customer.id);
    const colleague = await startAs(partnerAdmin, customer.id);

    // Act
    const second = await startAs(technician, customer.id);

    // Assess
    expect(second.started.replacedSessionIds).toEqual([first.started.id]);
    expect(await sessionItem(first.started.id)).toMatchObject({ endReason: 'replaced', endedAt: second.started.startedAt });
    expect((await sessionItem(colleague.started.id))?.endedAt).toBeUndefined();
    await expect(authorizeOn(as(first.caller, 'org:read'), customer.id)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(authorizeOn(as(second.caller, 'org:read'), customer.id)).resolves.toBeDefined();
  });

  it('refuses a partner (409 customers-only), but only after the permission check', async () => {
    await expect(startAs(technician, world.partnerA.id)).rejects.toMatchObject({
      constructor: ConflictError,
      extensions: { rule: 'customers-only' },
    });
    const outsider = await member(world.admin, world.partnerB.id, 'partner-admin');
    await expect(startAs(outsider, world.partnerA.id)).rejects.toBeInstanceOf(NotFoundError);
    const reader = await member(world.admin, world.partnerA.id, 'read-only');
    await expect(startAs(reader, world.customerA.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses an API key and an impersonation token with users-only, and writes nothing', async () => {
    // Prepare
    const key: Caller = { principalId: 'key_0int', principalType: 'api-key', keyOrgId: world.partnerA.id, keyRole: 'partner-admin' };
    const weakKey: Caller = { principalId: 'key_0weak', principalType: 'api-key', keyOrgId: world.partnerA.id, keyRole: 'read-only' };
    const { caller: session } = await startAs(technician, world.customerA.id);
    const before = await ImpersonationEntity.query.sessionsOfCustomer({ customerId: world.customerA.id }).go({ limit: 1000 });

    // Act + Assess
    for (const caller of [key, weakKey, session]) {
      const { calls } = await countCalls(async () => {
        await expect(startAs(caller, world.customerA.id)).rejects.toMatchObject({
          constructor: ForbiddenError,
          extensions: { rule: 'users-only' },
        });
      });
      expect(Object.keys(calls.byCommand).filter((command) => /Write|Put|Update|Delete/.test(command))).toEqual([]);
    }
    const after = await ImpersonationEntity.query.sessionsOfCustomer({ customerId: world.customerA.id }).go({ limit: 1000 });
    expect(after.data.length).toBe(before.data.length);
    // Out of the key's scope it is still a 404, never a hint.
    await expect(startAs(key, world.customerB.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('costs a call made with its token one parallel round: the org, the session and its impersonator’s grants', async () => {
    const { caller } = await startAs(technician, world.customerA.id);

    const { calls } = await countCalls(() => getOrg(as(caller, 'org:read'), world.customerA.id));

    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1 });
  });

  it('reads the org, the grants, the recent sessions and the user in one parallel round, then writes one transaction', async () => {
    const { calls } = await countCalls(() => startAs(technician, world.customerSubA.id));
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 2, TransactWriteItemsCommand: 1 });
  });
});

describe('how a session ends', () => {
  it('on DELETE by its impersonator: the next call with its token is 401, and the audit names who ended it', async () => {
    // Prepare
    const { started, caller } = await startAs(technician, world.customerA.id);
    const ending = requestActor(technician);

    // Act
    await endImpersonation(technician, started.id, ending);

    // Assess
    await expect(authorizeOn(as(caller, 'org:read'), world.customerA.id)).rejects.toMatchObject({
      constructor: UnauthorizedError,
      extensions: { rule: 'session-ended' },
    });
    await expect(describeMe(caller)).rejects.toBeInstanceOf(UnauthorizedError);
    // Even a call that reads no org: the session's companies (none while it ran).
    await expect(listMyCompanies(caller)).rejects.toMatchObject({ constructor: UnauthorizedError, extensions: { rule: 'session-ended' } });
    expect(await sessionItem(started.id)).toMatchObject({ endReason: 'ended', endedAt: expect.any(String) });
    const entries = await audit.entriesOf(world.customerA.id);
    expect(entries.find((entry) => entry.action === 'impersonation.ended' && entry.targetId === started.id)).toMatchObject({
      actor: technician.principalId,
      requestId: ending.requestId,
    });
  });

  it('on expiry, with nothing written', async () => {
    // Prepare: a session whose end has passed, written as the start would have written it.
    const id = `imp_0expired${Date.now().toString(36)}`;
    const startedAt = new Date(Date.now() - 90 * 60_000).toISOString();
    await ImpersonationEntity.create({
      impersonationId: id,
      customerId: world.customerA.id,
      impersonatorId: technician.principalId,
      impersonatorEmail: 'tech@test.example',
      actingRole: 'customer-admin',
      reason,
      startedAt,
      endsAt: new Date(Date.now() - 30 * 60_000).toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      version: 1,
      writtenBy: { requestId: 'integration', at: startedAt },
    }).go();
    const caller = sessionCaller(id, technician.principalId);

    // Act + Assess
    await expect(authorizeOn(as(caller, 'org:read'), world.customerA.id)).rejects.toBeInstanceOf(UnauthorizedError);
    await endImpersonation(technician, id, requestActor(technician));
    expect((await sessionItem(id))?.version).toBe(1);
  });

  it('when the impersonator loses `impersonate`: the next call in the customer is 401', async () => {
    // Prepare
    const leaving = await member(world.admin, world.partnerA.id, 'partner-technician');
    const { caller } = await startAs(leaving, world.customerA.id);
    await expect(authorizeOn(as(caller, 'org:read'), world.customerA.id)).resolves.toBeDefined();

    // Act
    await removeMember(as(partnerAdmin, 'member:write'), world.partnerA.id, leaving.principalId, { ifMatch: null }, actor);

    // Assess
    await expect(authorizeOn(as(caller, 'org:read'), world.customerA.id)).rejects.toMatchObject({
      constructor: UnauthorizedError,
      extensions: { rule: 'session-ended' },
    });
  });

  it('when the customer switches partner access off, and switching it on again does not revive it', async () => {
    // Prepare
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const owner = await member(world.admin, customer.id, 'customer-admin', true);
    const { started, caller } = await startAs(technician, customer.id);

    // Act
    await setPartnerAccess(as(owner, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);

    // Assess
    expect(await sessionItem(started.id)).toMatchObject({ endReason: 'partner-access-off' });
    await expect(authorizeOn(as(caller, 'org:read'), customer.id)).rejects.toBeInstanceOf(UnauthorizedError);
    // Nobody from above may start another while it is off.
    await expect(startAs(technician, customer.id)).rejects.toBeInstanceOf(PartnerAccessOffError);

    await setPartnerAccess(as(owner, 'partner-access:write'), customer.id, { enabled: true }, { ifMatch: null }, actor);
    await expect(authorizeOn(as(caller, 'org:read'), customer.id)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(startAs(technician, customer.id)).resolves.toBeDefined();
  });
});

describe('who may end a session', () => {
  it('the session itself, with its own token', async () => {
    const { started, caller } = await startAs(technician, world.customerA.id);
    await endImpersonation(caller, started.id, requestActor(caller));
    expect(await sessionItem(started.id)).toMatchObject({ endReason: 'ended', writtenBy: { impersonationId: started.id } });
  });

  it('the customer’s admins and whoever may impersonate there; someone who can only read gets 403; anyone else 404', async () => {
    const reader = await member(world.admin, world.partnerA.id, 'read-only');
    const otherPartner = await member(world.admin, world.partnerB.id, 'partner-admin');
    const sibling = await member(world.admin, world.customerSubA.id, 'customer-admin');
    for (const ender of [customerAdmin, partnerAdmin, world.admin]) {
      const { started } = await startAs(technician, world.customerA.id);
      await endImpersonation(ender, started.id, requestActor(ender));
      expect(await sessionItem(started.id)).toMatchObject({ endReason: 'ended', writtenBy: { userId: ender.principalId } });
    }
    const { started } = await startAs(technician, world.customerA.id);
    await expect(endImpersonation(reader, started.id, actor)).rejects.toBeInstanceOf(ForbiddenError);
    for (const stranger of [otherPartner, sibling, userCaller('usr_0nobody')]) {
      await expect(endImpersonation(stranger, started.id, actor)).rejects.toThrow(`Impersonation session ${started.id} was not found`);
    }
    await expect(endImpersonation(reader, 'imp_0missing', actor)).rejects.toThrow('Impersonation session imp_0missing was not found');
    expect((await sessionItem(started.id))?.endedAt).toBeUndefined();
  });

  it('ending it again answers the same and keeps the first end', async () => {
    const { started } = await startAs(technician, world.customerA.id);
    await endImpersonation(customerAdmin, started.id, requestActor(customerAdmin));
    const first = await sessionItem(started.id);

    const { calls } = await countCalls(() => endImpersonation(technician, started.id, requestActor(technician)));

    expect(await sessionItem(started.id)).toEqual(first);
    expect(calls.byCommand).not.toHaveProperty('UpdateItemCommand');
  });
});

describe('listing sessions', () => {
  let tech: Caller;
  let p1: Awaited<ReturnType<typeof createOrg>>;
  let p10: Awaited<ReturnType<typeof createOrg>>;
  let c1: Awaited<ReturnType<typeof createOrg>>;
  let c10: Awaited<ReturnType<typeof createOrg>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Partners whose ids are prefixes of each other, each with a customer.
    const suffix = Date.now().toString(36);
    p1 = await createOrg(world.admin, world.channel.id, 'partner', unique('P1 '), `org_lp1${suffix}`);
    p10 = await createOrg(world.admin, world.channel.id, 'partner', unique('P10 '), `org_lp1${suffix}0`);
    c1 = await createOrg(world.admin, p1.id, 'customer');
    c10 = await createOrg(world.admin, p10.id, 'customer');
    tech = await member(world.admin, world.channel.id, 'channel-admin');
    ids.c1 = (await startAs(tech, c1.id)).started.id;
    ids.c10 = (await startAs(tech, c10.id)).started.id;
    // A colleague's, since a second start of the same person's would replace the first.
    const colleague = await member(world.admin, p1.id, 'partner-technician');
    const ended = await startAs(colleague, c1.id, 5);
    ids.c1Second = ended.started.id;
    await endImpersonation(colleague, ended.started.id, actor);
  });

  const list = (who: Caller, orgId: string, query = {}) => listImpersonations(as(who, 'access:read'), orgId, query);

  it('shows a customer’s sessions to its admins, newest first, without tokens', async () => {
    const admin = await member(world.admin, c1.id, 'customer-admin');

    const page = await list(admin, c1.id);

    expect(page.items.map((item) => item.id)).toEqual([ids.c1Second, ids.c1]);
    expect(page.items[0]).toMatchObject({ status: 'ended', endReason: 'ended', customerId: c1.id, endedAt: expect.any(String) });
    expect(page.items[1]).toMatchObject({
      status: 'active',
      endedAt: null,
      endReason: null,
      reason,
      ticket: null,
      impersonatorId: tech.principalId,
      actingRole: 'customer-admin',
    });
    expect(JSON.stringify(page)).not.toMatch(/token|eyJ/);
  });

  it('shows a partner the sessions of the customers below it, never those of a partner whose id extends its own', async () => {
    const p1Admin = await member(world.admin, p1.id, 'partner-admin');
    expect((await list(p1Admin, p1.id)).items.map((item) => item.id)).toEqual([ids.c1Second, ids.c1]);
    expect((await list(tech, world.channel.id)).items.map((item) => item.id)).toEqual(
      expect.arrayContaining([ids.c1Second, ids.c1, ids.c10]),
    );
    await expect(list(p1Admin, p10.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('filters by status and pages with a cursor bound to the list', async () => {
    const active = await list(tech, p1.id, { status: 'active' });
    const ended = await list(tech, p1.id, { status: 'ended' });
    expect(active.items.map((item) => item.id)).toEqual([ids.c1]);
    expect(ended.items.map((item) => item.id)).toEqual([ids.c1Second]);

    const first = await list(tech, p1.id, { limit: 1 });
    const second = await list(tech, p1.id, { limit: 1, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual([ids.c1Second, ids.c1]);
    await expect(list(tech, p10.id, { limit: 1, cursor: first.nextCursor ?? undefined })).rejects.toThrow(/cursor/);
  });

  it('drops a customer that switched partner access off from the lists above it, not from its own', async () => {
    // Prepare
    const customer = await createOrg(world.admin, p1.id, 'customer');
    const owner = await member(world.admin, customer.id, 'customer-admin', true);
    const { started } = await startAs(tech, customer.id);
    expect((await list(tech, p1.id)).items.map((item) => item.id)).toContain(started.id);

    // Act
    await setPartnerAccess(as(owner, 'partner-access:write'), customer.id, { enabled: false }, { ifMatch: null }, actor);

    // Assess
    expect((await list(tech, p1.id)).items.map((item) => item.id)).not.toContain(started.id);
    expect((await list(owner, customer.id)).items).toMatchObject([{ id: started.id, status: 'ended', endReason: 'partner-access-off' }]);
    await expect(list(tech, customer.id)).rejects.toBeInstanceOf(PartnerAccessOffError);
  });

  it('follows a customer that moves: its old partner no longer lists it, it keeps its own history', async () => {
    // Prepare
    const customer = await createOrg(world.admin, p10.id, 'customer');
    const { started } = await startAs(tech, customer.id);
    const p10Admin = await member(world.admin, p10.id, 'partner-admin');
    expect((await list(p10Admin, p10.id)).items.map((item) => item.id)).toContain(started.id);

    // Act
    await moveOrg(as(world.admin, 'org:move'), customer.id, p1.id, null, actor);

    // Assess
    expect((await list(p10Admin, p10.id)).items.map((item) => item.id)).not.toContain(started.id);
    expect((await list(tech, customer.id)).items.map((item) => item.id)).toEqual([started.id]);
  });

  it('costs the authorization round (with the page Query alongside), then one round reading the page’s sessions and customers', async () => {
    const { calls } = await countCalls(() => list(tech, p1.id));
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2, BatchGetItemCommand: 2 });
    const own = await countCalls(() => list(tech, c1.id));
    expect(own.calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2, BatchGetItemCommand: 1 });
    // The pointers: one per org on the customer's path when the session started.
    const { data } = await ImpersonationListingEntity.query.byListedAt({ listedAt: p1.id }).go();
    expect(data.every((entry) => entry.customerId !== c10.id)).toBe(true);
  });
});

describe('sessions started from a customer’s own people', () => {
  it('are possible for nobody: the customer admin role carries no `impersonate`', async () => {
    await expect(startAs(customerAdmin, world.customerA.id)).rejects.toBeInstanceOf(ForbiddenError);
    const other = await addMember(
      as(world.admin, 'member:write'),
      world.customerA.id,
      { email: `${unique('cu')}@test.example`, role: 'customer-user' },
      actor,
    );
    await expect(startAs(userCaller(other.userId), world.customerA.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getOrg(as(customerAdmin, 'org:read'), world.customerA.id)).resolves.toBeDefined();
  });
});
