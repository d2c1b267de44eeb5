import { builtInPortalRoles, clientPermissions, ordered } from '../model/portal.ts';
import { nameKey } from '../model/rules.ts';
import { portalRoleNames } from '../portal-world.ts';
import {
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  pickUserId,
  type RouteSpec,
  repeatEarlierCreate,
  sameJson,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';
import { expectEtag, pickPortalOrgId, requesterView } from './portal-support.ts';

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

const pickRoleName = (pick: Picker): string =>
  pick.weighted([
    [75, () => pick.one([...Object.keys(builtInPortalRoles), ...portalRoleNames, ' viewer ', 'APPROVER'])],
    [20, () => pick.one(['Nobody', 'Ops 100', 'ops  1'])],
    [5, () => pick.one(['', '-dash first', 'x'.repeat(51)])],
  ]);

const pickPermissions = (pick: Picker): unknown => {
  const chosen = clientPermissions.filter(() => pick.chance(35));
  return pick.weighted<unknown>([
    [85, () => (chosen.length > 0 ? chosen : ['view-projects'])],
    [10, () => [...chosen, 'view-projects', 'view-projects']],
    [5, () => pick.one([[], ['fly'], 'view-projects'])],
  ]);
};

export const listPortalRoles: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `portal-roles|${orgIdOf(call)}`,
  allowed: (ctx, call) => ({
    statuses: [200],
    accept: async (response, tools) => {
      const orgId = orgIdOf(call);
      const builtIn = (response.json as { builtIn?: { name: string; permissions: string[] }[] } | undefined)?.builtIn ?? [];
      const expectedBuiltIn = Object.entries(builtInPortalRoles).map(([name, permissions]) => ({
        name,
        permissions: ordered(permissions),
      }));
      if (
        !sameJson(
          builtIn.map((role) => ({ name: role.name, permissions: role.permissions })),
          expectedBuiltIn,
        )
      ) {
        mismatch(`the built-in portal roles are ${JSON.stringify(builtIn)}`);
      }
      const walked = await walkPages(response, tools, `portal-roles|${orgId}`, call.walk);
      const expected = ctx.model.portal.rolesOf(orgId).sort(byKey((role) => nameKey(role.name)));
      for (const item of walked.items) {
        const role = expected.find((candidate) => candidate.name === item.name);
        if (!role) return mismatch(`${orgId} lists a portal role ${String(item.name)} it does not have`);
        expectFields(`portal role ${role.name}`, item, { builtIn: false, permissions: role.permissions });
      }
      if (walked.complete && call.query.cursor === undefined) {
        expectSameIds(
          `portal roles of ${orgId}`,
          walked.items.map((item) => item.name as string),
          expected.map((role) => role.name),
          true,
        );
      }
    },
  }),
};

export const createPortalRole: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createPortalRole', (body) => ({ ...body, name: `${body.name} 2` }));
    if (repeat) return repeat;
    const partners = [...ctx.model.orgs.values()].filter((org) => org.kind === 'partner').map((org) => org.id);
    const orgId = partners.length > 0 && pick.chance(50) ? pick.one(partners) : pickPortalOrgId(ctx, pick);
    return { params: { orgId }, body: { name: pickRoleName(pick), permissions: pickPermissions(pick) }, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const body = call.body as { name: string; permissions: string[] };
    const key = nameKey(body.name);
    const failures: number[] = [];
    if (ctx.model.org(orgId)?.kind !== 'partner') failures.push(409);
    if (builtInPortalRoles[key]) failures.push(409);
    if (portal.roles.has(`${orgId} ${key}`)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    const permissions = ordered(body.permissions);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        portal.roles.set(`${orgId} ${key}`, { partnerId: orgId, name: body.name, permissions });
        expectFields('the new portal role', response.json, { name: body.name, builtIn: false, description: null, permissions });
      },
    };
  },
};

export const listRequesters: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `requesters|${orgIdOf(call)}`,
  allowed: (ctx, call) => ({
    statuses: [200],
    accept: async (response, tools) => {
      const orgId = orgIdOf(call);
      const expected = ctx.model.portal.requestersOf(orgId).sort(byKey((r) => r.userId));
      const walked = await walkPages(response, tools, `requesters|${orgId}`, call.walk);
      const ids = walked.items.map((item) => item.userId as string);
      expectNoDuplicates(`requesters of ${orgId}`, ids);
      for (const item of walked.items) {
        const requester = expected.find((r) => r.userId === item.userId);
        if (!requester) return mismatch(`${orgId} lists ${String(item.userId)}, not a requester there`);
        expectFields(`requester ${requester.userId}`, item, requesterView(requester));
      }
      if (walked.complete && call.query.cursor === undefined) {
        expectSameIds(
          `requesters of ${orgId}`,
          ids,
          expected.map((r) => r.userId),
          true,
        );
      }
    },
  }),
};

const pickEmail = (ctx: Parameters<RouteSpec['build']>[0], pick: Picker): string =>
  pick.weighted([
    [70, () => pick.one(ctx.world.emails)],
    [20, () => `client${pick.int(1, 20)}.${ctx.world.adminEmail.split('.')[1]}@client.test`],
    [10, () => ` ${pick.one(ctx.world.emails).toUpperCase()}`],
  ]);

export const addRequester: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'addRequester', (body) => ({
      ...body,
      portalRole: body.portalRole === 'approver' ? 'requester' : 'approver',
    }));
    if (repeat) return repeat;
    return {
      params: { orgId: pickPortalOrgId(ctx, pick) },
      body: { email: pickEmail(ctx, pick), portalRole: pickRoleName(pick) },
      headers: pickIdempotencyKey(pick),
    };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const { portal } = model;
    const orgId = orgIdOf(call);
    const body = call.body as { email: string; portalRole: string };
    const role = portal.resolveRole(orgId, body.portalRole);
    const knownId = model.userIdByEmail.get(body.email);
    const failures: number[] = [];
    if (model.org(orgId)?.kind !== 'customer') failures.push(409);
    else if (!role) failures.push(400);
    if (knownId && portal.requester(knownId, orgId)) failures.push(409);
    if (failures.length > 0 || !role) return fail(failures.length > 0 ? failures : [400]);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const userId = (response.json as { userId?: unknown } | undefined)?.userId;
        if (typeof userId !== 'string' || !/^usr_[0-9a-z]{1,40}$/.test(userId))
          return mismatch(`the requester's user id is ${String(userId)}`);
        if (knownId && userId !== knownId) return mismatch(`${body.email} is ${knownId}, but the requester made is ${userId}`);
        if (!knownId && model.userIds().includes(userId)) return mismatch(`a new user got the id of another: ${userId}`);
        model.userIdByEmail.set(body.email, userId);
        const requester = {
          userId,
          email: body.email,
          customerId: orgId,
          portalRole: role.name,
          permissions: role.permissions,
          version: 1,
          link: portal.nextLink(),
        };
        portal.requesters.set(`${userId} ${orgId}`, requester);
        expectFields('the new requester', response.json, { ...requesterView(requester), invitation: 'local-token' });
      },
    };
  },
};

const pickRequesterUserId = (ctx: Parameters<RouteSpec['build']>[0], pick: Picker, orgId: string): string => {
  const here = ctx.model.portal.requestersOf(orgId).map((r) => r.userId);
  return here.length > 0 && pick.chance(60) ? pick.one(here) : pickUserId(ctx.model, pick, orgId);
};

export const updateRequester: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const orgId = pickPortalOrgId(ctx, pick);
    const userId = pickRequesterUserId(ctx, pick, orgId);
    return {
      params: { orgId, userId },
      body: { portalRole: pickRoleName(pick) },
      headers: pickIfMatch(pick, ctx.model.portal.requester(userId, orgId)?.version),
    };
  },
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const requester = portal.requester(call.params.userId as string, orgId);
    if (!requester) return fail([404]);
    const role = portal.resolveRole(orgId, (call.body as { portalRole: string }).portalRole);
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== requester.version) failures.push(412);
    if (!role) failures.push(400);
    if (failures.length > 0 || !role) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        requester.portalRole = role.name;
        requester.permissions = role.permissions;
        requester.version += 1;
        expectFields('the changed requester', response.json, requesterView(requester));
        expectEtag(response.headers, requester.version);
      },
    };
  },
};

export const removeRequester: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const orgId = pickPortalOrgId(ctx, pick);
    const userId = pickRequesterUserId(ctx, pick, orgId);
    return { params: { orgId, userId }, headers: pickIfMatch(pick, ctx.model.portal.requester(userId, orgId)?.version) };
  },
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const requester = portal.requester(call.params.userId as string, orgId);
    if (!requester) return fail([404]);
    if (call.ifMatch !== null && call.ifMatch !== requester.version) return fail([412]);
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        portal.requesters.delete(`${requester.userId} ${orgId}`);
      },
    };
  },
};

export const listMyCompanies: RouteSpec = {
  weight: 2,
  build: () => ({ params: {} }),
  allowed: (ctx) => ({
    statuses: [200],
    accept: (response) => {
      const { model } = ctx;
      const items = ((response.json as { items?: unknown[] } | undefined)?.items ?? []) as Record<string, unknown>[];
      const expected = model.portal
        .requesterGrantsOf(ctx.principal)
        .filter((r) => model.org(r.customerId))
        .map((r) => ({
          customerId: r.customerId,
          customerName: model.org(r.customerId)?.name,
          portalRole: r.portalRole,
          permissions: r.permissions,
        }))
        .sort(byKey((company) => company.customerId));
      if (!sameJson([...items].sort(byKey((item) => String(item.customerId))), expected)) {
        mismatch(`my companies are ${JSON.stringify(items)}, the model says ${JSON.stringify(expected)}`);
      }
    },
  }),
};
