import { type Access, assignmentKey, type ModelAssignment, type ModelService } from '../model/model.ts';
import { isServiceRole, type Kind, type Permission, type Role, roleNames, roleTable } from '../model/rules.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
  sameJson,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { serviceIdPool, serviceNamePool } from '../world.ts';
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

/*
 * Service relationships. Routes under /v1/services/{serviceId} are judged on
 * the service's two orgs: allowed when the caller holds the side's permission
 * on the owner (or the provider), a 403 when it reaches either without it, and
 * otherwise the same 404 as for a missing service.
 */

type Side = 'owner' | 'provider';

const byId = byKey((id: string) => id);
const maxServiceAccounts = 250;

const serviceOf = (ctx: Ctx, call: ParsedCall): ModelService => {
  const service = ctx.model.services.get(call.params.serviceId as string);
  if (!service) throw new Error('the runner only asks `allowed` about services that exist');
  return service;
};

/** The model's authorization answer on a service, and the org (or id) it is judged on. */
const onService =
  (rule: Partial<Record<Side, Permission>>) =>
  (ctx: Ctx, call: ParsedCall): { access: Access; target: string } => {
    const { model, principal } = ctx;
    const id = call.params.serviceId as string;
    const service = model.services.get(id);
    if (!service) return { access: 'missing', target: id };
    const sides: [Side, string][] = [
      ['owner', service.ownerOrgId],
      ['provider', service.providerOrgId],
    ];
    const existing = sides.filter(([, orgId]) => model.orgs.has(orgId));
    for (const [side, orgId] of existing) {
      const permission = rule[side];
      if (permission && model.access(principal, orgId, permission) === 'allowed') return { access: 'allowed', target: orgId };
    }
    for (const [side, orgId] of existing) {
      const permission = rule[side];
      const answer = permission ? model.access(principal, orgId, permission) : 'hidden';
      if (answer === 'forbidden' || answer === 'restricted') return { access: answer, target: orgId };
    }
    const seen = existing.find(([, orgId]) => model.covering(principal, orgId).length > 0);
    return seen ? { access: 'forbidden', target: seen[1] } : { access: 'hidden', target: service.ownerOrgId };
  };

const assignableAt = (role: Role, kind: Kind): boolean => (roleTable[role].assignableAt as readonly Kind[]).includes(kind);

/** Nobody shares more than they hold: every permission of the role, at the org. */
const holdsRole = (ctx: Ctx, orgId: string, role: Role): boolean => {
  const held = ctx.model.permissionsAt(ctx.principal, orgId);
  return roleTable[role].permissions.every((permission) => held.has(permission));
};

/**
 * The statuses sharing accounts earns, in the product's order of checks: the
 * role must fit every account that is a child of the owner (400), the caller
 * must hold it at the owner and at each (403), the owner must be no customer
 * and every account a direct child of it and not the provider (409).
 */
const sharingFailures = (ctx: Ctx, ownerId: string, providerId: string, role: Role, accountIds: readonly string[]): number[] => {
  const { model } = ctx;
  const owner = model.org(ownerId);
  if (!owner) throw new Error('unreachable: the owner was authorized');
  const children = accountIds.filter((id) => model.org(id)?.parentId === ownerId);
  const failures: number[] = [];
  if (children.some((id) => !assignableAt(role, model.org(id)?.kind as Kind))) failures.push(400);
  if ([ownerId, ...children].some((id) => !holdsRole(ctx, id, role))) failures.push(403);
  if (owner.kind === 'customer') failures.push(409);
  if (accountIds.some((id) => !children.includes(id))) failures.push(409);
  if (accountIds.includes(providerId)) failures.push(409);
  return failures;
};

/** The service as the API shows it, minus timestamps: accounts in id order, each with its live assignments in user id order. */
const serviceView = (ctx: Ctx, service: ModelService) => ({
  id: service.id,
  name: service.name,
  role: service.role,
  status: service.status,
  ownerOrgId: service.ownerOrgId,
  providerOrgId: service.providerOrgId,
  version: service.version,
  accounts: [...service.accounts].sort(byId).map((accountId) => ({
    accountId,
    name: ctx.model.org(accountId)?.name ?? null,
    status: ctx.model.accountActive(service, accountId) ? 'active' : 'detached',
    users: ctx.model
      .assignmentsOf(service.id, accountId)
      .filter((a) => ctx.model.assignmentLives(a))
      .map((a) => ({ userId: a.userId, email: a.email }))
      .sort(byKey((u) => u.userId)),
  })),
});

const withoutTimes = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (['createdAt', 'updatedAt', 'addedAt', 'assignedAt'].includes(key) ? undefined : v)),
  );

const expectService = (what: string, actual: unknown, ctx: Ctx, service: ModelService): void => {
  const { endedAt, ...rest } = (actual ?? {}) as { endedAt?: unknown };
  if ((endedAt === null) !== (service.status === 'active'))
    mismatch(`${what}: endedAt is ${JSON.stringify(endedAt)} for a ${service.status} service`);
  const expected = serviceView(ctx, service);
  if (!sameJson(withoutTimes(rest), expected))
    mismatch(`${what} is ${JSON.stringify(withoutTimes(rest))}, the model says ${JSON.stringify(expected)}`);
};

/* ---------- request builders ---------- */

const malformedServiceIds = ['SVC_S', 'svc_', 'org_a1', 'svc-s1', `svc_${'s'.repeat(41)}`];

/**
 * A service: often one the caller may act on by the route's rule (so calls get
 * past authorization and change things), as often any of the world's (or one
 * made since), sometimes one that never was, one a character off, or a
 * malformed id.
 */
const pickServiceId = (ctx: Ctx, pick: Picker, rule: Partial<Record<Side, Permission>>): string => {
  const known = [...ctx.model.services.keys()];
  const actable = known.filter((id) => onService(rule)(ctx, { params: { serviceId: id } } as unknown as ParsedCall).access === 'allowed');
  return pick.weighted([
    [actable.length > 0 ? 40 : 0, () => pick.one(actable)],
    [known.length > 0 ? 40 : 0, () => pick.one(known)],
    [10, () => pick.one([...serviceIdPool, 'svc_s0', 'svc_zz'].filter((id) => !ctx.model.services.has(id)).concat('svc_zz'))],
    [6, () => `${pick.one(known.length > 0 ? known : ['svc_s'])}${pick.one(['0', '1', 'a'])}`],
    [4, () => pick.one(malformedServiceIds)],
  ]);
};

/** Account ids around a service: its accounts, other children of its owner, the provider, any org, now and then a malformed one. */
const pickAccountIds = (ctx: Ctx, pick: Picker, service: ModelService | undefined, max = 3): string[] => {
  const { model } = ctx;
  const inService = service ? [...service.accounts] : [];
  const children = service ? model.children(service.ownerOrgId).map((org) => org.id) : [];
  const count = pick.int(1, max);
  const ids: string[] = [];
  // Mostly accounts of the service only (so bulk calls succeed), else a mix.
  const tidy = inService.length > 0 && pick.chance(70);
  for (let i = 0; i < count; i++) {
    ids.push(
      pick.weighted([
        [inService.length > 0 ? (tidy ? 100 : 55) : 0, () => pick.one(inService)],
        [children.length > 0 && !tidy ? 25 : 0, () => pick.one(children)],
        [service && !tidy ? 4 : 0, () => service?.providerOrgId ?? 'org_zz'],
        [tidy ? 0 : 14, () => pickOrgId(ctx, pick)],
      ]),
    );
  }
  // Now and then the same id twice: a 400.
  return pick.chance(2) ? ids : [...new Set(ids)];
};

/** Users for a bulk change: mostly members of the provider, sometimes anyone, an unknown id, or a malformed one. */
const pickUserIds = (ctx: Ctx, pick: Picker, service: ModelService | undefined): string[] => {
  const { model } = ctx;
  const members = service ? model.membersOf(service.providerOrgId).map((m) => m.userId) : [];
  const count = pick.int(1, 3);
  const ids: string[] = [];
  const tidy = members.length > 0 && pick.chance(75);
  for (let i = 0; i < count; i++) {
    ids.push(
      pick.weighted([
        [members.length > 0 ? 70 : 0, () => pick.one(members)],
        [tidy ? 0 : 18, () => pick.one(model.userIds())],
        [tidy ? 0 : 9, () => pick.one(['usr_0', 'usr_zz'])],
        [tidy ? 0 : 3, () => 'USR_1'],
      ]),
    );
  }
  return [...new Set(ids)];
};

const readers = { owner: 'service:read', provider: 'service:read' } as const;
const ownerAdmins = { owner: 'service:write' } as const;
const providerAdmins = { provider: 'service:write' } as const;

const assignedKey = (service: ModelService, accountId: string, userId: string) => assignmentKey(service.id, accountId, userId);

/* ---------- routes ---------- */

export const createService: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createService', (body) => ({ ...body, name: `${String(body.name)} again` }));
    if (repeat) return repeat;
    const { model } = ctx;
    const owners = [...model.orgs.values()].filter((org) => model.children(org.id).length > 0).map((org) => org.id);
    const orgId = owners.length > 0 && pick.chance(50) ? pick.one(owners) : pickOrgId(ctx, pick);
    const partners = [...model.orgs.values()].filter((org) => org.kind === 'partner' && org.id !== orgId).map((org) => org.id);
    const providerOrgId = pick.weighted([
      [partners.length > 0 ? 70 : 0, () => pick.one(partners)],
      [6, () => orgId],
      [14, () => pickOrgId(ctx, pick)],
      [7, () => 'org_zz'],
      [3, () => 'ORG_Z'],
    ]);
    const children = model.children(orgId).map((org) => org.id);
    const accountIds = pick.weighted<string[]>([
      [15, () => []],
      [children.length > 0 ? 70 : 0, () => [...new Set(Array.from({ length: pick.int(1, 3) }, () => pick.one(children)))]],
      [15, () => [pickOrgId(ctx, pick)]],
    ]);
    const body: Record<string, unknown> = { providerOrgId, name: pick.chance(97) ? pick.one(serviceNamePool) : '', accountIds };
    if (pick.chance(75)) {
      body.role = pick.weighted([
        [85, () => pick.one(roleNames.filter(isServiceRole))],
        [12, () => pick.one(roleNames)],
        [3, () => 'admin'],
      ]);
    }
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const ownerId = call.params.orgId as string;
    const body = call.body as { providerOrgId: string; name: string; role?: Role; accountIds: string[] };
    const provider = model.org(body.providerOrgId);
    const role = body.role ?? 'read-only';
    const failures = sharingFailures(ctx, ownerId, body.providerOrgId, role, body.accountIds);
    if (provider?.kind !== 'partner' || provider.id === ownerId) failures.push(400);
    if (!isServiceRole(role)) failures.push(400);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = (response.json as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string' || !/^svc_[0-9a-z]{1,40}$/.test(id)) return mismatch(`the new service's id is ${JSON.stringify(id)}`);
        if (model.services.has(id)) return mismatch(`a new service got the id of another: ${id}`);
        const service: ModelService = {
          id,
          ownerOrgId: ownerId,
          providerOrgId: body.providerOrgId,
          name: body.name,
          role,
          status: 'active',
          version: 1,
          accounts: new Set(body.accountIds),
        };
        model.services.set(id, service);
        expectService('the new service', response.json, ctx, service);
        if (response.headers.etag !== '"1"') mismatch(`ETag is ${response.headers.etag}`);
      },
    };
  },
};

const servicesBinding = (orgId: string) => `services|${orgId}`;

export const listServices: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => ({
    params: { orgId: pickOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => servicesBinding(call.params.orgId as string),
  allowed: (ctx, call) => {
    const orgId = call.params.orgId as string;
    const services = [...ctx.model.services.values()];
    const owned = services.filter((s) => s.ownerOrgId === orgId).sort(byKey((s) => s.id));
    const received = services.filter((s) => s.providerOrgId === orgId).sort(byKey((s) => s.id));
    const expected = [...owned.map((s) => ({ s, side: 'owner' })), ...received.map((s) => ({ s, side: 'provider' }))];
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, servicesBinding(orgId), call.walk);
        const ids = walked.items.map((item) => `${String(item.side)} ${String(item.id)}`);
        expectNoDuplicates(`services of ${orgId}`, ids);
        for (const item of walked.items) {
          const match = expected.find(({ s, side }) => s.id === item.id && side === item.side);
          if (!match) return mismatch(`services of ${orgId} lists ${String(item.id)} as ${String(item.side)}, which the model does not`);
          const { s } = match;
          expectFields(`service ${s.id}`, item, {
            name: s.name,
            role: s.role,
            status: s.status,
            ownerOrgId: s.ownerOrgId,
            providerOrgId: s.providerOrgId,
            version: s.version,
          });
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `services of ${orgId}`,
            ids,
            expected.map(({ s, side }) => `${side} ${s.id}`),
            true,
          );
        }
      },
    };
  },
};

export const getService: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { serviceId: pickServiceId(ctx, pick, readers) } }),
  access: onService(readers),
  allowed: (ctx, call) => {
    const service = serviceOf(ctx, call);
    return {
      statuses: [200],
      accept: (response) => {
        expectService(`service ${service.id}`, response.json, ctx, service);
        if (response.headers.etag !== `"${service.version}"`)
          mismatch(`ETag is ${response.headers.etag}, the model says "${service.version}"`);
      },
    };
  },
};

/** Live assignments of these accounts, as a dry run lists them: by account, then user. */
const losses = (ctx: Ctx, service: ModelService, accountIds: readonly string[], pairs?: ReadonlySet<string>) =>
  accountIds
    .flatMap((accountId) => ctx.model.assignmentsOf(service.id, accountId))
    .filter((a) => ctx.model.assignmentLives(a) && (!pairs || pairs.has(assignedKey(service, a.accountId, a.userId))))
    .sort((a, b) => byId(`${a.accountId} ${a.userId}`, `${b.accountId} ${b.userId}`))
    .map((a) => ({ userId: a.userId, email: a.email, orgId: a.accountId, via: 'service' }));

const dryRunOf = (usersLosingAccess: unknown[], accountsAffected: string[]) => ({
  dryRun: true,
  wouldSucceed: true,
  usersLosingAccess,
  accountsAffected,
  sessionsEnding: [],
  violations: [],
});

const dropAssignments = (ctx: Ctx, doomed: readonly ModelAssignment[]) => {
  for (const a of doomed) ctx.model.assignments.delete(assignmentKey(a.serviceId, a.accountId, a.userId));
};

export const updateService: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const serviceId = pickServiceId(ctx, pick, ownerAdmins);
    const service = ctx.model.services.get(serviceId);
    const body = pick.weighted<Record<string, unknown>>([
      [35, () => ({ addAccountIds: pickAccountIds(ctx, pick, service) })],
      [30, () => ({ removeAccountIds: pickAccountIds(ctx, pick, service) })],
      [
        10,
        () => {
          const removeAccountIds = pickAccountIds(ctx, pick, service);
          const addAccountIds = pickAccountIds(ctx, pick, service).filter((id) => !removeAccountIds.includes(id) || pick.chance(10));
          return addAccountIds.length > 0 ? { addAccountIds, removeAccountIds } : { removeAccountIds };
        },
      ],
      // Ending is for good: rarely, or every service of the world is soon over.
      [3, () => ({ status: 'ended' })],
      [1, () => ({ status: 'ended', removeAccountIds: pickAccountIds(ctx, pick, service) })],
      [4, () => pick.one([{}, { status: 'active' }, { addAccountIds: [] }, { status: 'ended', addAccountIds: ['org_a'] }])],
    ]);
    return {
      params: { serviceId },
      body,
      ...(pick.chance(30) ? { query: { dryRun: pick.one(['true', 'false']) } } : {}),
      headers: pickIfMatch(pick, service?.version),
    };
  },
  access: onService(ownerAdmins),
  allowed: (ctx, call) => {
    const { model } = ctx;
    const service = serviceOf(ctx, call);
    const body = call.body as { addAccountIds?: string[]; removeAccountIds?: string[]; status?: 'ended' };
    const ending = body.status === 'ended';
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== service.version) failures.push(412);
    const toAdd = (body.addAccountIds ?? []).filter((id) => !service.accounts.has(id));
    if (toAdd.length > 0) {
      failures.push(...sharingFailures(ctx, service.ownerOrgId, service.providerOrgId, service.role, toAdd));
      if (service.status !== 'active') failures.push(409);
      if (service.accounts.size + toAdd.length > maxServiceAccounts) failures.push(409);
    }
    if (failures.length > 0) return fail(failures);
    const leaving = (ending ? [...service.accounts] : (body.removeAccountIds ?? []).filter((id) => service.accounts.has(id))).sort(byId);
    if (call.query.dryRun === true) {
      return {
        statuses: [200],
        accept: (response) => expectFields('the dry run', response.json, dryRunOf(losses(ctx, service, leaving), leaving)),
      };
    }
    const changes = toAdd.length > 0 || leaving.length > 0 || (ending && service.status !== 'ended');
    return {
      statuses: [200],
      mutates: changes,
      accept: (response) => {
        if (changes) {
          service.version += 1;
          for (const id of toAdd) service.accounts.add(id);
          for (const id of leaving) service.accounts.delete(id);
          dropAssignments(ctx, ending ? model.assignmentsOf(service.id) : leaving.flatMap((id) => model.assignmentsOf(service.id, id)));
          if (ending) service.status = 'ended';
        }
        expectService(`service ${service.id}`, response.json, ctx, service);
        if (response.headers.etag !== `"${service.version}"`)
          mismatch(`ETag is ${response.headers.etag}, the model says "${service.version}"`);
      },
    };
  },
};

const candidatesBinding = (call: ParsedCall) =>
  `candidates|${String(call.params.serviceId)}|${String(call.query.mode)}|${[...((call.query.accountIds as string[] | undefined) ?? [])].sort().join(',')}|${String(call.query.q ?? '')}`;

export const listServiceCandidates: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const serviceId = pickServiceId(ctx, pick, providerAdmins);
    const service = ctx.model.services.get(serviceId);
    const query: Record<string, string> = {
      ...pickListQuery(ctx.model, pick, false),
      mode: pick.chance(96) ? pick.one(['grant', 'revoke']) : 'both',
      accountIds: pick.chance(97) ? pickAccountIds(ctx, pick, service).join(',') : pick.one(['', ',', 'org_a,,org_a1']),
    };
    if (pick.chance(25)) query.q = pick.one(['u', 'U1', 'u10.', 'new', 'zz', ' ']);
    return { params: { serviceId }, query, walk: pick.chance(40) };
  },
  access: onService(providerAdmins),
  cursorBinding: candidatesBinding,
  allowed: (ctx, call) => {
    const { model } = ctx;
    const service = serviceOf(ctx, call);
    const accountIds = [...new Set(call.query.accountIds as string[])];
    if (accountIds.some((id) => !model.accountActive(service, id))) return fail([409]);
    const prefix = call.query.q as string | undefined;
    const expected = model
      .membersOf(service.providerOrgId)
      .filter((m) => prefix === undefined || m.email.startsWith(prefix))
      .map((m) => ({
        userId: m.userId,
        email: m.email,
        role: m.role,
        currentAccess: accountIds.filter((accountId) => {
          const a = model.assignments.get(assignedKey(service, accountId, m.userId));
          return a !== undefined && model.assignmentLives(a);
        }).length,
      }))
      .filter((c) => (call.query.mode === 'grant' ? c.currentAccess < accountIds.length : c.currentAccess > 0))
      .sort(byKey((c) => c.userId));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, candidatesBinding(call), call.walk);
        const ids = walked.items.map((item) => item.userId as string);
        expectNoDuplicates('candidates', ids);
        for (const item of walked.items) {
          const match = expected.find((c) => c.userId === item.userId);
          if (!match) return mismatch(`candidates list ${String(item.userId)}, which the model leaves out`);
          expectFields(`candidate ${match.userId}`, item, match);
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            'candidates',
            ids,
            expected.map((c) => c.userId),
            true,
          );
        }
      },
    };
  },
};

const pairsBody = (ctx: Ctx, pick: Picker, service: ModelService | undefined): Record<string, unknown> =>
  pick.weighted<Record<string, unknown>>([
    [96, () => ({ userIds: pickUserIds(ctx, pick, service), accountIds: pickAccountIds(ctx, pick, service) })],
    // More than 1,000 pairs: a 400 whoever asks.
    [
      2,
      () => ({ userIds: Array.from({ length: 40 }, (_, i) => `usr_x${i}`), accountIds: Array.from({ length: 26 }, (_, i) => `org_x${i}`) }),
    ],
    [
      2,
      () =>
        pick.one([{ userIds: [], accountIds: ['org_a'] }, { userIds: ['usr_1'] }, { userIds: ['usr_1'], accountIds: ['org_a'], extra: 1 }]),
    ],
  ]);

/** Refusals both bulk routes share: pairs must name accounts of the service and members of the provider. */
const pairFailures = (ctx: Ctx, service: ModelService, body: { userIds: string[]; accountIds: string[] }, granting: boolean): number[] => {
  const { model } = ctx;
  const failures: number[] = [];
  if (granting && service.status !== 'active') failures.push(409);
  if (body.accountIds.some((id) => (granting ? !model.accountActive(service, id) : !service.accounts.has(id)))) failures.push(409);
  if (body.userIds.some((id) => !model.membership(id, service.providerOrgId))) failures.push(409);
  return failures;
};

export const grantServiceAccess: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const serviceId = pickServiceId(ctx, pick, providerAdmins);
    return { params: { serviceId }, body: pairsBody(ctx, pick, ctx.model.services.get(serviceId)) };
  },
  access: onService(providerAdmins),
  allowed: (ctx, call) => {
    const { model } = ctx;
    const service = serviceOf(ctx, call);
    const body = call.body as { userIds: string[]; accountIds: string[] };
    const failures = pairFailures(ctx, service, body, true);
    if (failures.length > 0) return fail(failures);
    const pairs = body.accountIds.flatMap((accountId) => body.userIds.map((userId) => ({ userId, accountId })));
    const missing = pairs.filter(({ userId, accountId }) => {
      const a = model.assignments.get(assignedKey(service, accountId, userId));
      return !a || !model.assignmentLives(a);
    });
    const counts = {
      granted: missing.length,
      unchanged: pairs.length - missing.length,
      pairs: pairs.length,
      transactions: Math.ceil(missing.length / 100),
    };
    return {
      statuses: [200],
      mutates: missing.length > 0,
      accept: (response) => {
        expectFields('the grant', response.json, counts);
        for (const { userId, accountId } of missing) {
          const membership = model.membership(userId, service.providerOrgId);
          if (!membership) throw new Error('unreachable: members were checked');
          model.assignments.set(assignedKey(service, accountId, userId), {
            serviceId: service.id,
            accountId,
            userId,
            email: membership.email,
            membership,
          });
        }
      },
    };
  },
};

export const revokeServiceAccess: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const serviceId = pickServiceId(ctx, pick, providerAdmins);
    return {
      params: { serviceId },
      body: pairsBody(ctx, pick, ctx.model.services.get(serviceId)),
      ...(pick.chance(30) ? { query: { dryRun: pick.one(['true', 'false']) } } : {}),
    };
  },
  access: onService(providerAdmins),
  allowed: (ctx, call) => {
    const { model } = ctx;
    const service = serviceOf(ctx, call);
    const body = call.body as { userIds: string[]; accountIds: string[] };
    const failures = pairFailures(ctx, service, body, false);
    if (failures.length > 0) return fail(failures);
    const keys = new Set(body.accountIds.flatMap((accountId) => body.userIds.map((userId) => assignedKey(service, accountId, userId))));
    const existing = [...keys].flatMap((key) => model.assignments.get(key) ?? []);
    const live = existing.filter((a) => model.assignmentLives(a));
    if (call.query.dryRun === true) {
      const lost = losses(ctx, service, [...new Set(body.accountIds)], keys);
      return {
        statuses: [200],
        accept: (response) => expectFields('the dry run', response.json, dryRunOf(lost, [...new Set(lost.map((l) => l.orgId))])),
      };
    }
    const counts = {
      revoked: live.length,
      unchanged: keys.size - live.length,
      pairs: keys.size,
      transactions: Math.ceil(existing.length / 50),
    };
    return {
      statuses: [200],
      mutates: existing.length > 0,
      accept: (response) => {
        expectFields('the revocation', response.json, counts);
        dropAssignments(ctx, existing);
      },
    };
  },
};
