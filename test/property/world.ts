import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import type { AccessRequest } from '#domain/access/authorize';
import { addMember } from '#domain/access/members';
import { submitApplication } from '#domain/applications/applications';
import { createInvoice } from '#domain/billing/invoices';
import { putPriceBook } from '#domain/billing/price-book';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { anonymousActor, systemActor, writtenBy } from '#domain/db/written-by';
import { createApiKey } from '#domain/delegation/api-keys';
import { ExternalAdminEntity } from '#domain/delegation/external-admin.entity';
import { addExternalAdmin } from '#domain/delegation/external-admins';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { grantServiceAccess } from '#domain/delegation/service-assignments';
import { createService } from '#domain/delegation/services';
import { createChildOrg } from '#domain/orgs/orgs';
import { putConfig } from '#domain/partners/configs';
import { putProfile } from '#domain/partners/profiles';
import { rootOrgId } from '#domain/shared/ids';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';
import { recordBillingEvent } from './model/billing.ts';
import { assignmentKey, Model, type ModelMembership, type ModelOrg, membershipKey, type Principal } from './model/model.ts';
import { childKinds, isServiceRole, type Kind, maxDepth, nameKey, type Role, roleNames, roleTable } from './model/rules.ts';
import { buildPortal, type PortalPlan, portalPlanArb } from './portal-world.ts';
import { seededInvoice, worldPriceBook } from './specs/billing.ts';
import type { InProcessApi } from './support/api.ts';
import { plantPastSession, sessionReasons, startSession } from './support/sessions.ts';
import { wipeTable } from './support/table.ts';

/**
 * A generated world: a hierarchy whose ids and names are prefixes of each
 * other (org_a, org_a1, org_a10 …; "Acme", "Acme 1", "Acme 10" …), people with
 * random roles at random orgs, and people with none. It is built through the
 * domain (fast, ids chosen) and mirrored in the model as it goes.
 */

/** Every id over a tiny alphabet up to three characters: most are prefixes of others. */
export const orgIdPool: readonly string[] = (() => {
  const alphabet = ['a', '1', '0'];
  const out: string[] = [];
  let layer = [''];
  for (let length = 1; length <= 3; length++) {
    layer = layer.flatMap((stem) => alphabet.map((c) => `${stem}${c}`));
    out.push(...layer);
  }
  return out.map((suffix) => `org_${suffix}`);
})();

/** Names that are prefixes of each other, with case and spacing variants that collide among siblings. */
export const namePool: readonly string[] = [
  'Acme',
  'Acme 1',
  'Acme 10',
  'Acme1',
  'Acme 100',
  'Acme Corp',
  'Ac',
  'A',
  'Beta',
  'Beta 1',
  'B',
  'ACME',
  'acme  1',
  ' Acme 10 ',
];

/** People of a world: `u1`, `u10`, `u100`, … Some get roles, the rest stay outsiders. */
export const personLabels: readonly string[] = ['u1', 'u10', 'u100', 'u11', 'u2', 'u20', 'u3', 'u30'];

export interface WorldPlan {
  orgs: { parent: number; kind: number; id: number; name: number; customer: number }[];
  grants: { person: number; org: number; role: number; builtIn: boolean }[];
  people: number;
  /** Which customers switch partner access off (those with a built-in administrator to do it). */
  restrict: boolean[];
  /** People made external admins of customers; `expired` ones are written as the table holds them after expiry. */
  externalAdmins: { person: number; org: number; role: number; expired: boolean }[];
  /** API keys of partners: at which partner, with which role, and whether it has expired already. */
  keys: { org: number; role: number; expired: boolean }[];
  /** "Login As" sessions of people who may impersonate: running ones, and some whose end has passed. */
  sessions: { pair: number; minutes: number; past: boolean; ticket: boolean }[];
  /** Portal roles, requesters and a little portal content (portal-world.ts). */
  portal: PortalPlan;
  services: ServicePlan[];
}

/** A service an owner shares with a provider, and which provider members get which of its accounts. */
export interface ServicePlan {
  owner: number;
  provider: number;
  accounts: number[];
  role: number;
  assign: { person: number; account: number }[];
  /** People made administrators of the owner and of the provider (when they hold nothing there yet), so some callers may act on it. */
  admins: { owner: number; provider: number };
  /** The first account, when a customer, gets a built-in admin who switches partner access off: assignments that stop at a restriction. */
  lock: boolean;
}

/** Service ids that are prefixes of each other, like the org ids. */
export const serviceIdPool: readonly string[] = ['svc_s', 'svc_s1', 'svc_s10'];
export const serviceNamePool: readonly string[] = ['Backup', 'Backup 1', 'Security', 'Backup'];

export const worldPlanArb: fc.Arbitrary<WorldPlan> = fc.record({
  orgs: fc.array(
    fc.record({ parent: fc.nat(), kind: fc.nat(), id: fc.nat(), name: fc.nat(), customer: fc.nat() }, { noNullPrototype: true }),
    { minLength: 5, maxLength: 16 },
  ),
  grants: fc.array(fc.record({ person: fc.nat(), org: fc.nat(), role: fc.nat(), builtIn: fc.boolean() }, { noNullPrototype: true }), {
    minLength: 4,
    maxLength: 14,
  }),
  people: fc.integer({ min: 4, max: personLabels.length }),
  /** Which customers switch partner access off (those with a built-in administrator to do it). */
  restrict: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  externalAdmins: fc.array(
    fc.record({ person: fc.nat(), org: fc.nat(), role: fc.nat(), expired: fc.boolean() }, { noNullPrototype: true }),
    { maxLength: 4 },
  ),
  keys: fc.array(fc.record({ org: fc.nat(), role: fc.nat(), expired: fc.boolean() }, { noNullPrototype: true }), { maxLength: 4 }),
  sessions: fc.array(
    fc.record({ pair: fc.nat(), minutes: fc.nat(), past: fc.boolean(), ticket: fc.boolean() }, { noNullPrototype: true }),
    {
      minLength: 1,
      maxLength: 5,
    },
  ),
  portal: portalPlanArb,
  services: fc.array(
    fc.record(
      {
        owner: fc.nat(),
        provider: fc.nat(),
        accounts: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        role: fc.nat(),
        assign: fc.array(fc.record({ person: fc.nat(), account: fc.nat() }, { noNullPrototype: true }), { maxLength: 6 }),
        admins: fc.record({ owner: fc.nat(), provider: fc.nat() }, { noNullPrototype: true }),
        lock: fc.boolean(),
      },
      { noNullPrototype: true },
    ),
    { minLength: 1, maxLength: serviceIdPool.length },
  ),
});

/** Who a generated call is made by. */
export type CallerRef =
  | { kind: 'user'; email: string }
  /** No Authorization header at all. */
  | { kind: 'anonymous' }
  /** A well-formed ES256 token for a real user's email, signed by a key the authorizer does not trust. */
  | { kind: 'forged'; email: string }
  /** `x-api-key`: a key's secret (or a wrong one), of a live, expired or revoked key; with `alsoBearer`, a bearer token beside it. */
  | { kind: 'api-key'; keyId: string; secret: string; alsoBearer?: string }
  /** The token a session's start answered (running, ended, or past its end). */
  | { kind: 'impersonation'; sessionId: string };

export interface World {
  api: InProcessApi;
  model: Model;
  adminEmail: string;
  /** Everyone who may call: the admin, people with roles and people without. */
  emails: string[];
  tokenOf: (email: string) => Promise<string>;
  forgedTokenOf: (email: string) => Promise<string>;
  principalOf: (email: string) => Principal;
  /** Who the authorizer resolves an `x-api-key` caller to: the key, or null (401) for a wrong secret, a revoked or expired key, or a bearer token beside it. */
  keyPrincipalOf: (caller: Extract<CallerRef, { kind: 'api-key' }>) => Principal | null;
}

const setupActor = systemActor('property-world');
const as = (userId: string, permission: AccessRequest['permission']): AccessRequest => ({
  caller: { principalId: userId, principalType: 'user' },
  permission,
});

let forgingKey: Promise<Parameters<SignJWT['sign']>[0]> | undefined;
const forge = async (email: string): Promise<string> => {
  forgingKey ??= generateKeyPair('ES256').then((pair) => pair.privateKey);
  return new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(email)
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await forgingKey);
};

/**
 * Empties the table and builds the planned world. Emails carry `namespace`
 * because the authorizer caches email → user id for the life of the process,
 * as a Lambda container does; a wiped table must never meet a cached id.
 */
export const buildWorld = async (
  api: InProcessApi,
  plan: WorldPlan,
  namespace: string,
  onWiped: () => Promise<void> = async () => {},
): Promise<World> => {
  await wipeTable();
  await onWiped();
  const adminEmail = `admin.${namespace}@platform.test`;
  const { adminUserId } = await bootstrapPlatform({ adminEmail }, setupActor);
  const model = new Model(rootOrgId);
  model.orgs.set(rootOrgId, {
    id: rootOrgId,
    kind: 'platform',
    name: 'Platform',
    parentId: null,
    status: 'active',
    customerType: null,
    subscription: null,
    partnerAccess: true,
    version: 1,
  });
  model.userIdByEmail.set(adminEmail, adminUserId);
  model.memberships.set(membershipKey(adminUserId, rootOrgId), {
    userId: adminUserId,
    email: adminEmail,
    orgId: rootOrgId,
    role: 'platform-admin',
    builtIn: true,
    version: 1,
  });

  // Lay the tree out first (every choice made from the plan), then create it level by level, in parallel within a level.
  const unusedIds = orgIdPool.filter((id) => id !== rootOrgId);
  const planned: ModelOrg[] = [];
  for (const node of plan.orgs) {
    const parents = [model.orgs.get(rootOrgId) as ModelOrg, ...planned].filter(
      (org) => childKinds[org.kind].length > 0 && depthIn(planned, org) < maxDepth,
    );
    const parent = parents[node.parent % parents.length] as ModelOrg;
    const kind = childKinds[parent.kind][node.kind % childKinds[parent.kind].length] as Kind;
    const id = unusedIds.splice(node.id % unusedIds.length, 1)[0] as string;
    const siblings = planned.filter((org) => org.parentId === parent.id).map((org) => nameKey(org.name));
    const name = [...namePool.slice(node.name % namePool.length), ...namePool]
      .map((candidate) => candidate.trim())
      .find((candidate) => !siblings.includes(nameKey(candidate)));
    if (!name) continue;
    const isCustomer = kind === 'customer';
    planned.push({
      id,
      kind,
      name,
      parentId: parent.id,
      status: 'active',
      customerType: isCustomer ? ((['standard', 'internal', 'nfr'] as const)[node.customer % 3] ?? 'standard') : null,
      subscription: isCustomer ? ((['trial', 'active'] as const)[node.customer % 2] ?? 'trial') : null,
      partnerAccess: true,
      version: 1,
    });
  }
  // Level by level; within a level, in rounds that touch each parent once (siblings would contend for their
  // parent's child count in concurrent transactions).
  for (let depth = 2; depth <= maxDepth; depth++) {
    const level = planned.filter((org) => depthIn(planned, org) === depth);
    for (const round of rounds(level, (org) => [org.parentId as string])) {
      await Promise.all(
        round.map((org) =>
          createChildOrg(
            as(adminUserId, 'org:create'),
            org.parentId as string,
            {
              kind: org.kind as 'channel' | 'partner' | 'customer',
              name: org.name,
              ...(org.customerType ? { customerType: org.customerType } : {}),
              ...(org.subscription ? { subscriptionState: org.subscription as 'trial' | 'active' } : {}),
            },
            setupActor,
            { orgId: org.id },
          ),
        ),
      );
    }
    for (const org of level) model.orgs.set(org.id, org);
  }

  const emails = personLabels.slice(0, plan.people).map((label) => `${label}.${namespace}@people.test`);
  // Customers weigh triple: their admins are the callers whose member:write is narrower than the roles they may hand out.
  const orgIds = [...model.orgs.values()].flatMap((org) => (org.kind === 'customer' ? [org.id, org.id, org.id] : [org.id]));
  const grants: ModelMembership[] = [];
  for (const grant of plan.grants) {
    const email = emails[grant.person % emails.length] as string;
    const org = model.orgs.get(orgIds[grant.org % orgIds.length] as string) as ModelOrg;
    const fitting = roleNames.filter((role) => (roleTable[role].assignableAt as readonly Kind[]).includes(org.kind));
    const role = fitting[grant.role % fitting.length] as Role;
    if (!grants.some((g) => g.email === email && g.orgId === org.id)) {
      grants.push({ userId: '', email, orgId: org.id, role, builtIn: grant.builtIn, version: 1 });
    }
  }
  // In rounds that touch each person once (the first grant creates the user) and each org once (each add checks
  // its org in a transaction); the model learns them in the plan's order, whichever call finished first.
  for (const round of rounds(grants, (grant) => [grant.email, grant.orgId])) {
    await Promise.all(
      round.map(async (grant) => {
        const { email, orgId, role, builtIn } = grant;
        grant.userId = (await addMember(as(adminUserId, 'member:write'), orgId, { email, role, builtIn }, setupActor)).userId;
      }),
    );
  }
  for (const member of grants) {
    model.userIdByEmail.set(member.email, member.userId);
    model.memberships.set(membershipKey(member.userId, member.orgId), member);
  }

  // Requesters and portal content, while the platform admin still reaches every customer.
  await buildPortal(model, plan.portal, adminUserId, emails, rounds);

  const locked = await buildServices(model, plan.services, adminUserId, emails);

  const customers = [...model.orgs.values()].filter((org) => org.kind === 'customer');
  await addExternalAdmins(model, plan, emails, customers, adminUserId);

  // Sessions of people who may impersonate a customer; some were planted with their end already past. In rounds that
  // touch each (person, customer) once, since a second start of the same person in the same customer replaces the
  // first, as the API does; the model learns each round in the plan's order.
  const pairs = model
    .userIds()
    .flatMap((userId) => customers.map((org) => ({ userId, customerId: org.id })))
    .filter(
      ({ userId, customerId }) => model.access({ kind: 'user', principalId: userId, email: '' }, customerId, 'impersonate') === 'allowed',
    );
  // Half of them, where possible, in customers able to switch partner access off (a built-in admin): those are the
  // sessions the restriction ends, and whose history must drop out of the lists above.
  const restrictable = pairs.filter(({ customerId }) => model.membersOf(customerId).some((m) => m.builtIn && m.role === 'customer-admin'));
  const sessions = plan.sessions.flatMap((planned, index) => {
    const pool = planned.pair % 2 === 0 && restrictable.length > 0 ? restrictable : pairs;
    const pair = pool[Math.floor(planned.pair / 2) % Math.max(pool.length, 1)];
    if (!pair) return [];
    const input = {
      reason: sessionReasons[index % sessionReasons.length] as string,
      minutes: 20 + (planned.minutes % 41),
      ...(planned.ticket ? { ticket: `T-${index}` } : {}),
    };
    return [{ ...pair, input, past: planned.past, suffix: `${namespace}p${index}` }];
  });
  for (const round of rounds(sessions, (session) => [`${session.userId} ${session.customerId}`])) {
    const learn = await Promise.all(
      round.map(({ userId, customerId, input, past, suffix }) =>
        past ? plantPastSession(model, userId, customerId, input, suffix) : startSession(model, userId, customerId, input, setupActor),
      ),
    );
    for (const apply of learn) apply();
  }

  // Every partner gets the world's price book from the platform above it, and the first two customers a draft each.
  const pricedPartners = [...model.orgs.values()].filter((org) => org.kind === 'partner');
  await Promise.all(
    pricedPartners.map((org) =>
      putPriceBook(as(adminUserId, 'price-book:write'), org.id, worldPriceBook as Parameters<typeof putPriceBook>[2], null, setupActor),
    ),
  );
  for (const org of pricedPartners) model.priceBooks.set(org.id, { entries: worldPriceBook.map((entry) => ({ ...entry })), version: 1 });
  const lines = [{ sku: 'M365', quantity: 2 }];
  const drafts = await Promise.all(
    customers
      .slice(0, 2)
      .map((org) =>
        createInvoice(
          as(adminUserId, 'billing:write'),
          org.id,
          { currency: 'EUR', taxRate: '20', invoiceDate: '2026-03-01', dueDate: '2099-12-31', lines },
          setupActor,
        ),
      ),
  );
  for (const [index, draft] of drafts.entries()) {
    const org = customers[index] as ModelOrg;
    model.invoices.set(draft.id, seededInvoice({ model }, org, draft.id, lines));
    recordBillingEvent(model, org.id, { type: 'invoice.created', invoiceId: draft.id, from: null, to: null });
  }

  // Customers whose built-in administrator switched partner access off, as the customer's own admin does it.
  for (const [index, org] of customers.entries()) {
    const admin = model.membersOf(org.id).find((m) => m.builtIn && m.role === 'customer-admin');
    if (!admin || !(plan.restrict[index % plan.restrict.length] || locked.has(org.id))) continue;
    await setPartnerAccess(as(admin.userId, 'partner-access:write'), org.id, { enabled: false }, { ifMatch: null }, setupActor);
    org.partnerAccess = false;
    org.version += 1;
    model.endSessionsOf(org.id, 'partner-access-off');
  }

  // API keys of partners, created by the platform admin through the domain; an expired one was created ten days ago.
  const partners = [...model.orgs.values()].filter((org) => org.kind === 'partner');
  const partnerRoles: Role[] = ['partner-admin', 'partner-technician', 'billing-admin', 'read-only'];
  for (const [index, planned] of plan.keys.entries()) {
    const org = partners[planned.org % Math.max(partners.length, 1)];
    if (!org) break;
    const role = partnerRoles[planned.role % partnerRoles.length] as Role;
    const day = 24 * 60 * 60 * 1000;
    const createdAt = planned.expired ? new Date(Date.now() - 10 * day) : new Date();
    const expiresAt = planned.expired ? new Date(createdAt.getTime() + 5 * day).toISOString() : undefined;
    const key = await createApiKey(
      as(adminUserId, 'api-key:write'),
      org.id,
      { name: `Integration ${index}`, role, ...(expiresAt ? { expiresAt } : {}) },
      setupActor,
      { now: createdAt },
    );
    if (!key.secret) throw new Error('a new key came without its secret');
    model.apiKeys.set(key.id, {
      keyId: key.id,
      orgId: org.id,
      name: key.name,
      role,
      expiresAt: key.expiresAt,
      createdBy: null, // the world's setup writes as the system
      version: 1,
    });
    model.keySecrets.set(key.id, key.secret);
  }
  await seedPartnerBusiness(model, adminUserId, emails);

  const tokens = new Map<string, Promise<string>>();
  const forged = new Map<string, Promise<string>>();
  return {
    api,
    model,
    adminEmail,
    emails: [adminEmail, ...emails],
    tokenOf: (email) => {
      let token = tokens.get(email);
      if (!token) {
        token = api.mintToken(email);
        tokens.set(email, token);
      }
      return token;
    },
    forgedTokenOf: (email) => {
      let token = forged.get(email);
      if (!token) {
        token = forge(email);
        forged.set(email, token);
      }
      return token;
    },
    principalOf: (email) => ({ kind: 'user', principalId: model.userIdByEmail.get(email) ?? '', email }),
    keyPrincipalOf: (caller) =>
      caller.alsoBearer === undefined && model.keyWorks(caller.keyId) && model.keySecrets.get(caller.keyId) === caller.secret
        ? { kind: 'api-key', principalId: caller.keyId }
        : null,
  };
};

const customerRoles = roleNames.filter((role) => (roleTable[role].assignableAt as readonly Kind[]).includes('customer'));

/**
 * External admins of customers, added as the platform admin (the domain's own
 * rules apply: never one of the customer's own members), one at a time since
 * a new email makes a user. An expired one is written as the table holds it
 * after expiry and before TTL removes it: that is the only way to get one.
 */
const addExternalAdmins = async (model: Model, plan: WorldPlan, emails: string[], customers: ModelOrg[], adminUserId: string) => {
  if (customers.length === 0) return;
  for (const planned of plan.externalAdmins) {
    const email = emails[planned.person % emails.length] as string;
    const org = customers[planned.org % customers.length] as ModelOrg;
    const role = customerRoles[planned.role % customerRoles.length] as Role;
    const knownId = model.userIdByEmail.get(email);
    if ((knownId && (model.membership(knownId, org.id) || model.externalAdmin(knownId, org.id))) || (planned.expired && !knownId)) continue;
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (planned.expired && knownId) {
      const now = new Date().toISOString();
      const expiresAt = nowSeconds - 60;
      await ExternalAdminEntity.create({
        userId: knownId,
        orgId: org.id,
        email,
        role,
        expiresAt,
        createdAt: now,
        updatedAt: now,
        version: 1,
        writtenBy: writtenBy(setupActor, now),
      }).go();
      model.externalAdmins.set(membershipKey(knownId, org.id), { userId: knownId, email, orgId: org.id, role, expiresAt, version: 1 });
      continue;
    }
    const added = await addExternalAdmin(as(adminUserId, 'external-admin:write'), org.id, { email, role }, setupActor);
    model.userIdByEmail.set(email, added.userId);
    model.externalAdmins.set(membershipKey(added.userId, org.id), {
      userId: added.userId,
      email,
      orgId: org.id,
      role,
      expiresAt: Math.floor(Date.parse(added.expiresAt) / 1000),
      version: 1,
    });
  }
};

/**
 * Partner details and applications: every other channel opens its programme
 * (with a status of its own) and has an application waiting, from one of the
 * world's people (so an approval may make someone a partner admin); every
 * other partner keeps a configuration, which customers created later copy.
 */
const seedPartnerBusiness = async (model: Model, adminUserId: string, emails: readonly string[]): Promise<void> => {
  const orgsOf = (kind: Kind) => [...model.orgs.values()].filter((org) => org.kind === kind);
  const programme = { partnerStatuses: ['gold'], acceptsApplications: true };
  await Promise.all(
    orgsOf('channel').map(async (channel, index) => {
      if (index % 2 !== 0) return;
      await putProfile(as(adminUserId, 'profile:write'), channel.id, { programme }, null, setupActor);
      model.profiles.set(channel.id, { kind: 'channel', fields: { programme }, version: 1 });
      const form = {
        channelId: channel.id,
        company: (namePool[index % namePool.length] ?? 'Acme').trim(),
        contactName: 'Ada Applicant',
        contactEmail: emails[index % emails.length] ?? 'ada@apply.test',
        country: 'FR',
      };
      const submitted = await submitApplication(form, anonymousActor({ requestId: 'property-world', sourceIp: '198.51.100.7' }));
      model.applications.set(submitted.id, {
        ...form,
        id: submitted.id,
        website: null,
        submittedAt: submitted.submittedAt,
        status: 'pending',
        reason: null,
        partnerId: null,
        partnerAdminId: null,
        decidedBy: null,
        version: 1,
      });
    }),
  );
  const config = {
    inboundIps: ['8.8.8.0/24'],
    outboundIps: ['2001:4860:4860::8888'],
    smarthost: { host: 'smtp.contoso.example', port: 587 },
  };
  await Promise.all(
    orgsOf('partner').map(async (partner, index) => {
      if (index % 2 !== 0) return;
      await putConfig(as(adminUserId, 'config:write'), partner.id, config, null, setupActor);
      model.configs.set(partner.id, { ...config, inheritedFrom: null, version: 1 });
    }),
  );
};

/**
 * Services, made by the platform admin before any customer switches partner
 * access off (so some of their accounts end up restricted): an owner with
 * children shares some of them with a partner (one with members, when there
 * is one), with a role that fits them all, and some provider members get some
 * of the accounts. Returns the accounts to lock: customers given a built-in
 * admin here, who then switches partner access off with the others.
 */
const buildServices = async (
  model: Model,
  plans: readonly ServicePlan[],
  adminUserId: string,
  emails: readonly string[],
): Promise<Set<string>> => {
  const locked = new Set<string>();
  const admin = { principalId: adminUserId, principalType: 'user' as const };
  const adminRoleOf: Record<Kind, Role> = {
    platform: 'platform-admin',
    channel: 'channel-admin',
    partner: 'partner-admin',
    customer: 'customer-admin',
  };
  /** Makes the first person from `person` on who holds nothing at the org its administrator (no one, when everyone holds something there). */
  const makeAdmin = async (org: ModelOrg, person: number, builtIn = false): Promise<void> => {
    const email = emails
      .map((_, i) => emails[(person + i) % emails.length] as string)
      .find((candidate) => {
        const known = model.userIdByEmail.get(candidate);
        return !known || !model.membership(known, org.id);
      });
    if (!email) return;
    const role = adminRoleOf[org.kind];
    const { userId } = await addMember(as(adminUserId, 'member:write'), org.id, { email, role, builtIn }, setupActor);
    model.userIdByEmail.set(email, userId);
    model.memberships.set(membershipKey(userId, org.id), { userId, email, orgId: org.id, role, builtIn, version: 1 });
  };
  for (const [index, planned] of plans.entries()) {
    const owners = [...model.orgs.values()].filter((org) => org.kind !== 'customer' && model.children(org.id).length > 0);
    const serviceId = serviceIdPool[index] as string;
    if (owners.length === 0) return locked;
    const owner = owners[planned.owner % owners.length] as ModelOrg;
    const partners = [...model.orgs.values()].filter((org) => org.kind === 'partner' && org.id !== owner.id);
    const staffed = partners.filter((org) => model.membersOf(org.id).length > 0);
    const providers = staffed.length > 0 ? staffed : partners;
    if (providers.length === 0) continue;
    const provider = providers[planned.provider % providers.length] as ModelOrg;
    const children = model.children(owner.id).filter((org) => org.id !== provider.id);
    const accounts = children.length === 0 ? [] : [...new Set(planned.accounts.map((n) => children[n % children.length] as ModelOrg))];
    const fitting = roleNames.filter(
      (role) =>
        isServiceRole(role) && accounts.every((account) => (roleTable[role].assignableAt as readonly Kind[]).includes(account.kind)),
    );
    if (fitting.length === 0) continue;
    const role = fitting[planned.role % fitting.length] as Role;
    const name = serviceNamePool[index % serviceNamePool.length] as string;
    const accountIds = accounts.map((account) => account.id);
    await makeAdmin(owner, planned.admins.owner);
    await makeAdmin(provider, planned.admins.provider);
    const [first] = accounts;
    if (planned.lock && first?.kind === 'customer') {
      await makeAdmin(first, planned.admins.owner + 1, true);
      locked.add(first.id);
    }
    await createService(as(adminUserId, 'service:write'), owner.id, { providerOrgId: provider.id, name, role, accountIds }, setupActor, {
      serviceId,
    });
    model.services.set(serviceId, {
      id: serviceId,
      ownerOrgId: owner.id,
      providerOrgId: provider.id,
      name,
      role,
      status: 'active',
      version: 1,
      accounts: new Set(accountIds),
    });
    const members = model.membersOf(provider.id);
    if (members.length === 0 || accountIds.length === 0) continue;
    // One bulk grant per member, of the accounts planned for them.
    const assignedTo = new Map<ModelMembership, Set<string>>();
    for (const { person, account } of planned.assign) {
      const member = members[person % members.length] as ModelMembership;
      assignedTo.set(member, (assignedTo.get(member) ?? new Set()).add(accountIds[account % accountIds.length] as string));
    }
    for (const [member, granted] of assignedTo) {
      await grantServiceAccess(admin, serviceId, { userIds: [member.userId], accountIds: [...granted] }, setupActor);
      for (const accountId of granted) {
        model.assignments.set(assignmentKey(serviceId, accountId, member.userId), {
          serviceId,
          accountId,
          userId: member.userId,
          email: member.email,
          membership: member,
        });
      }
    }
  }
  return locked;
};

/** Splits work into rounds, in order, so that no two items of a round share a key: each round may run in parallel. */
export const rounds = <T>(items: readonly T[], keysOf: (item: T) => string[]): T[][] => {
  const out: { items: T[]; keys: Set<string> }[] = [];
  for (const item of items) {
    const keys = keysOf(item);
    // After the last round holding one of its keys, so that work on one key keeps its order.
    const last = out.findLastIndex((round) => keys.some((key) => round.keys.has(key)));
    const round = out[last + 1] ?? { items: [], keys: new Set<string>() };
    if (last + 1 === out.length) out.push(round);
    round.items.push(item);
    for (const key of keys) round.keys.add(key);
  }
  return out.map((round) => round.items);
};

const depthIn = (planned: readonly ModelOrg[], org: ModelOrg): number => {
  let depth = 1;
  let parentId = org.parentId;
  while (parentId) {
    depth++;
    parentId = planned.find((candidate) => candidate.id === parentId)?.parentId ?? null;
  }
  return depth;
};

/** A short description of the world, for failure reports. */
export const describeWorld = (world: World): string => {
  const { model } = world;
  const lines: string[] = [];
  const walk = (id: string, indent: string) => {
    const org = model.org(id);
    if (!org) return;
    const members = model
      .membersOf(id)
      .map((m) => `${m.email.split('.')[0]}=${m.role}${m.builtIn ? '*' : ''}`)
      .join(' ');
    const external = [...model.externalAdmins.values()]
      .filter((grant) => grant.orgId === id)
      .map((grant) => `${grant.email.split('.')[0]}=${grant.role}${grant.expiresAt * 1000 > Date.now() ? '' : ' (expired)'}`)
      .join(' ');
    const keys = model
      .keysOf(id)
      .map((key) => `${key.keyId}=${key.role}${model.keyWorks(key.keyId) ? '' : '(expired)'}`)
      .join(' ');
    lines.push(
      `${indent}${org.id} ${org.kind} "${org.name}" ${org.status}${org.partnerAccess ? '' : ' partner-access-off'} v${org.version}${members ? `  [${members}]` : ''}${external ? `  external [${external}]` : ''}${keys ? `  keys [${keys}]` : ''}`,
    );
    for (const child of model.children(id)) walk(child.id, `${indent}  `);
  };
  walk(model.rootId, '');
  for (const session of model.sessions.values()) {
    const state = session.endReason ?? (model.isRunning(session) ? 'running' : 'expired');
    lines.push(`session ${session.id} of ${model.emailOf(session.impersonatorId)?.split('.')[0]} in ${session.customerId}: ${state}`);
  }
  for (const service of model.services.values()) {
    const assigned = model
      .assignmentsOf(service.id)
      .map((a) => `${a.userId}→${a.accountId}${model.assignmentLives(a) ? '' : ' (dead)'}`)
      .join(' ');
    lines.push(
      `${service.id} "${service.name}" ${service.status} v${service.version} ${service.ownerOrgId} → ${service.providerOrgId} as ${service.role}: [${[...service.accounts].join(' ')}]${assigned ? `  {${assigned}}` : ''}`,
    );
  }
  return lines.join('\n');
};
