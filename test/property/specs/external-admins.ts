import type { ModelExternalAdmin } from '../model/model.ts';
import { isLive, membershipKey } from '../model/model.ts';
import { type Kind, type Role, roleNames, roleTable } from '../model/rules.ts';
import {
  type Ctx,
  expectFields,
  fail,
  listBinding,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  pickOrgId,
  pickUserId,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

const day = 86_400_000;
const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

/** The no-escalation rule, as for members: nobody hands out (or takes away) more than they hold at the org. */
const mayHandle = (ctx: Ctx, orgId: string, role: Role): boolean => {
  const held = ctx.model.permissionsAt(ctx.principal, orgId);
  return roleTable[role].permissions.every((permission) => held.has(permission));
};

const atCustomer = (role: Role): boolean => (roleTable[role].assignableAt as readonly Kind[]).includes('customer');

const view = (grant: ModelExternalAdmin) => ({
  userId: grant.userId,
  email: grant.email,
  orgId: grant.orgId,
  role: grant.role,
  expiresAt: new Date(grant.expiresAt * 1000).toISOString(),
  version: grant.version,
});

/** A customer most of the time (the only kind that has external admins), else any target. */
const pickCustomerOrAny = (ctx: Ctx, pick: Picker): string => {
  const customers = [...ctx.model.orgs.values()].filter((org) => org.kind === 'customer').map((org) => org.id);
  return customers.length > 0 && pick.chance(55) ? pick.one(customers) : pickOrgId(ctx, pick);
};

export const listExternalAdmins: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({
    params: { orgId: pickCustomerOrAny(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => listBinding('external-admins', orgIdOf(call), {}),
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    const expected = ctx.model.externalAdminsOf(orgId);
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, listBinding('external-admins', orgId, {}), call.walk);
        const ids = walked.items.map((item) => item.userId as string);
        expectNoDuplicates(`external admins of ${orgId}`, ids);
        for (const item of walked.items) {
          const grant = expected.find((candidate) => candidate.userId === item.userId);
          if (!grant) return mismatch(`external admins of ${orgId} lists ${String(item.userId)}, not a live one there`);
          expectFields(`external admin ${grant.userId} of ${orgId}`, item, view(grant));
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `external admins of ${orgId}`,
            ids,
            expected.map((grant) => grant.userId),
            true,
          );
        }
      },
    };
  },
};

type Expiry = { at?: string; fault: boolean };

/** Usually none (a year) or one well inside the bounds; sometimes in the past or beyond two years. */
const pickExpiry = (pick: Picker): Expiry =>
  pick.weighted<Expiry>([
    [50, () => ({ fault: false })],
    [30, () => ({ at: new Date(Date.now() + pick.int(1, 700) * day).toISOString(), fault: false })],
    [10, () => ({ at: new Date(Date.now() - pick.int(1, 400) * day).toISOString(), fault: true })],
    [10, () => ({ at: new Date(Date.now() + pick.int(740, 2000) * day).toISOString(), fault: true })],
  ]);

export const addExternalAdmin: RouteSpec = {
  weight: 6,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'addExternalAdmin', (body) => ({
      ...body,
      role: body.role === 'customer-user' ? 'customer-admin' : 'customer-user',
    }));
    if (repeat) return repeat;
    const orgId = pickCustomerOrAny(ctx, pick);
    const email = pick.weighted([
      [75, () => pick.one(ctx.world.emails)],
      [15, () => `ext${pick.int(1, 20)}.${ctx.world.adminEmail.split('.')[1]}@elsewhere.test`],
      [10, () => ` ${pick.one(ctx.world.emails).toUpperCase()}`],
    ]);
    const role = pick.chance(80) ? pick.one(roleNames.filter(atCustomer)) : pick.one(roleNames);
    const expiry = pickExpiry(pick);
    const body: Record<string, unknown> = { email, role, ...(expiry.at ? { expiresAt: expiry.at } : {}) };
    if (pick.chance(3)) body.expiresAt = pick.one(['tomorrow', '2030-13-01T00:00:00Z', '']);
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const org = model.org(orgId);
    if (!org) throw new Error('unreachable: the runner checked the org');
    const body = call.body as { email: string; role: Role; expiresAt?: string };
    const now = Date.now();
    const failures: number[] = [];
    if (body.expiresAt !== undefined) {
      const at = Date.parse(body.expiresAt);
      if (at <= now || at > now + 730 * day) failures.push(400);
    }
    if (org.kind !== 'customer') failures.push(409);
    else {
      if (!atCustomer(body.role)) failures.push(400);
      if (!mayHandle(ctx, orgId, body.role)) failures.push(403);
      const knownId = model.userIdByEmail.get(body.email);
      const held = knownId ? model.externalAdmin(knownId, orgId) : undefined;
      if (knownId && model.membership(knownId, orgId)) failures.push(409);
      if (held && isLive(held, now)) failures.push(409);
    }
    if (failures.length > 0) return fail(failures);
    const knownId = model.userIdByEmail.get(body.email);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const answer = response.json as { userId?: unknown; expiresAt?: unknown } | undefined;
        const userId = answer?.userId;
        if (typeof userId !== 'string' || !/^usr_[0-9a-z]{1,40}$/.test(userId)) return mismatch(`the user id is ${String(userId)}`);
        if (knownId && userId !== knownId) return mismatch(`${body.email} is ${knownId}, but the grant went to ${userId}`);
        if (!knownId && model.userIds().includes(userId)) return mismatch(`a new user got the id of another: ${userId}`);
        const expiresAt = Date.parse(String(answer?.expiresAt));
        const wanted = body.expiresAt === undefined ? now + 365 * day : Math.floor(Date.parse(body.expiresAt) / 1000) * 1000;
        // Without one, a year from when the product handled it: within the seconds this call took.
        const slack = body.expiresAt === undefined ? 120_000 : 0;
        if (!(Math.abs(expiresAt - wanted) <= slack)) {
          return mismatch(`expiresAt is ${String(answer?.expiresAt)}, the model says ${new Date(wanted).toISOString()}`);
        }
        const grant: ModelExternalAdmin = { userId, email: body.email, orgId, role: body.role, expiresAt: expiresAt / 1000, version: 1 };
        model.userIdByEmail.set(body.email, userId);
        model.externalAdmins.set(membershipKey(userId, orgId), grant);
        expectFields('the new external admin', response.json, view(grant));
      },
    };
  },
};

export const removeExternalAdmin: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const { model } = ctx;
    const orgId = pickCustomerOrAny(ctx, pick);
    const here = [...model.externalAdmins.values()].filter((grant) => grant.orgId === orgId).map((grant) => grant.userId);
    const userId = here.length > 0 && pick.chance(60) ? pick.one(here) : pickUserId(model, pick, orgId);
    return {
      params: { orgId, userId },
      headers: pickIfMatch(pick, model.externalAdmin(userId, orgId)?.version),
      ...(pick.chance(30) ? { query: { dryRun: pick.one(['true', 'false']) } } : {}),
    };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const userId = call.params.userId as string;
    const grant = model.externalAdmin(userId, orgId);
    if (!grant || !isLive(grant)) return fail([404]);
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== grant.version) failures.push(412);
    if (!mayHandle(ctx, orgId, grant.role)) failures.push(403);
    if (failures.length > 0) return fail(failures);
    if (call.query.dryRun === true) {
      const subject = { kind: 'user' as const, principalId: userId, email: grant.email };
      const rest = model.grantsOf(subject).filter((held) => !(held.kind === 'external-admin' && held.orgId === orgId));
      const keeps = ['allowed', 'summary'].includes(model.accessThrough(rest, orgId, 'org:read'));
      return {
        statuses: [200],
        accept: (response) =>
          expectFields('the dry run', response.json, {
            dryRun: true,
            wouldSucceed: true,
            usersLosingAccess: keeps ? [] : [{ userId, email: grant.email, orgId, via: 'external-admin' }],
            accountsAffected: [],
            sessionsEnding: [],
            violations: [],
          }),
      };
    }
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        model.externalAdmins.delete(membershipKey(userId, orgId));
      },
    };
  },
};
