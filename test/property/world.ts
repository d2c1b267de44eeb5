import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import type { AccessRequest } from '#domain/access/authorize';
import { addMember } from '#domain/access/members';
import { createInvoice } from '#domain/billing/invoices';
import { putPriceBook } from '#domain/billing/price-book';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { createChildOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';
import { localAudience, localIssuer } from '#functions/authorizer/verify-token';
import { recordBillingEvent } from './model/billing.ts';
import { Model, type ModelMembership, type ModelOrg, membershipKey, type Principal } from './model/model.ts';
import { childKinds, type Kind, maxDepth, nameKey, type Role, roleNames, roleTable } from './model/rules.ts';
import { seededInvoice, worldPriceBook } from './specs/billing.ts';
import type { InProcessApi } from './support/api.ts';
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
  restrict: boolean[];
}

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
});

/** Who a generated call is made by. */
export type CallerRef =
  | { kind: 'user'; email: string }
  /** No Authorization header at all. */
  | { kind: 'anonymous' }
  /** A well-formed ES256 token for a real user's email, signed by a key the authorizer does not trust. */
  | { kind: 'forged'; email: string };

export interface World {
  api: InProcessApi;
  model: Model;
  adminEmail: string;
  /** Everyone who may call: the admin, people with roles and people without. */
  emails: string[];
  tokenOf: (email: string) => Promise<string>;
  forgedTokenOf: (email: string) => Promise<string>;
  principalOf: (email: string) => Principal;
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
export const buildWorld = async (api: InProcessApi, plan: WorldPlan, namespace: string): Promise<World> => {
  await wipeTable();
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

  // Every partner gets the world's price book from the platform above it, and the first two customers a draft each.
  const partners = [...model.orgs.values()].filter((org) => org.kind === 'partner');
  await Promise.all(
    partners.map((org) =>
      putPriceBook(as(adminUserId, 'price-book:write'), org.id, worldPriceBook as Parameters<typeof putPriceBook>[2], null, setupActor),
    ),
  );
  for (const org of partners) model.priceBooks.set(org.id, { entries: worldPriceBook.map((entry) => ({ ...entry })), version: 1 });
  const customers = [...model.orgs.values()].filter((org) => org.kind === 'customer');
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
    if (!admin || !plan.restrict[index % plan.restrict.length]) continue;
    await setPartnerAccess(as(admin.userId, 'partner-access:write'), org.id, { enabled: false }, { ifMatch: null }, setupActor);
    org.partnerAccess = false;
    org.version += 1;
  }

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
  };
};

/** Splits work into rounds, in order, so that no two items of a round share a key: each round may run in parallel. */
const rounds = <T>(items: readonly T[], keysOf: (item: T) => string[]): T[][] => {
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
    lines.push(
      `${indent}${org.id} ${org.kind} "${org.name}" ${org.status}${org.partnerAccess ? '' : ' partner-access-off'} v${org.version}${members ? `  [${members}]` : ''}`,
    );
    for (const child of model.children(id)) walk(child.id, `${indent}  `);
  };
  walk(model.rootId, '');
  return lines.join('\n');
};
