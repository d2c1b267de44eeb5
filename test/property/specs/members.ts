import { adminRoles, type ModelMembership } from '../model/model.ts';
import { type Kind, type Permission, permissions, type Role, roleNames, roleTable } from '../model/rules.ts';
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
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

/** The no-escalation rule: nobody hands out (or takes away) a role carrying a permission they do not hold there. */
const mayHandle = (ctx: Ctx, orgId: string, role: Role): boolean => {
  const held = ctx.model.permissionsAt(ctx.principal, orgId);
  return roleTable[role].permissions.every((permission) => held.has(permission));
};

const assignableAt = (role: Role, kind: Kind): boolean => (roleTable[role].assignableAt as readonly Kind[]).includes(kind);

const memberView = (ctx: Ctx, userId: string, orgId: string) => {
  const member = ctx.model.membership(userId, orgId);
  if (!member) throw new Error(`model has no membership ${userId} at ${orgId}`);
  return { userId, email: member.email, orgId, role: member.role, builtIn: member.builtIn, version: member.version };
};

/** An email to invite: one of the world's people (with or without roles), a new one, or a known one in other case. */
const pickEmail = (ctx: Ctx, pick: Picker): string =>
  pick.weighted([
    [70, () => pick.one(ctx.world.emails)],
    [18, () => `new${pick.int(1, 30)}.${ctx.world.adminEmail.split('.')[1]}@people.test`],
    [12, () => ` ${pick.one(ctx.world.emails).toUpperCase()}`],
  ]);

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

/** A role: mostly one that fits the org's kind (so calls get as far as the no-escalation rule), sometimes any. */
const pickRole = (ctx: Ctx, pick: Picker, orgId: string): Role => {
  const kind = ctx.model.org(orgId)?.kind;
  const fitting = kind ? roleNames.filter((role) => assignableAt(role, kind)) : [];
  return fitting.length > 0 && pick.chance(70) ? pick.one(fitting) : pick.one(roleNames);
};

export const listMembers: RouteSpec = {
  weight: 6,
  build: (ctx, pick) => ({
    params: { orgId: pickOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => listBinding('members', orgIdOf(call), {}),
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    const expected = ctx.model
      .membersOf(orgId)
      .map((m) => m.userId)
      .sort(byKey((id) => id));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, listBinding('members', orgId, {}), call.walk);
        const ids = walked.items.map((item) => item.userId as string);
        expectNoDuplicates(`members of ${orgId}`, ids);
        for (const item of walked.items) {
          if (!expected.includes(item.userId as string)) mismatch(`members of ${orgId} lists ${String(item.userId)}, not a member there`);
          expectFields(`member ${String(item.userId)} of ${orgId}`, item, memberView(ctx, item.userId as string, orgId));
        }
        if (walked.complete && call.query.cursor === undefined) expectSameIds(`members of ${orgId}`, ids, expected, true);
      },
    };
  },
};

export const addMember: RouteSpec = {
  weight: 8,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'addMember', (body) => ({
      ...body,
      role: body.role === 'read-only' ? 'billing-admin' : 'read-only',
    }));
    if (repeat) return repeat;
    const orgId = pickOrgId(ctx, pick);
    const body: Record<string, unknown> = { email: pickEmail(ctx, pick), role: pickRole(ctx, pick, orgId) };
    if (pick.chance(30)) body.builtIn = pick.chance(50);
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const org = model.org(orgId);
    const body = call.body as { email: string; role: Role; builtIn?: boolean };
    if (!org) throw new Error('unreachable: the runner checked the org');
    const failures: number[] = [];
    if (!assignableAt(body.role, org.kind)) failures.push(400);
    if (!mayHandle(ctx, orgId, body.role)) failures.push(403);
    const knownId = model.userIdByEmail.get(body.email);
    if (knownId && model.membership(knownId, orgId)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const userId = (response.json as { userId?: unknown } | undefined)?.userId;
        if (typeof userId !== 'string' || !/^usr_[0-9a-z]{1,40}$/.test(userId))
          return mismatch(`the member's user id is ${String(userId)}`);
        if (knownId && userId !== knownId) return mismatch(`${body.email} is ${knownId}, but the member made is ${userId}`);
        if (!knownId && model.userIds().includes(userId)) return mismatch(`a new user got the id of another: ${userId}`);
        model.userIdByEmail.set(body.email, userId);
        model.memberships.set(`${userId} ${orgId}`, {
          userId,
          email: body.email,
          orgId,
          role: body.role,
          builtIn: body.builtIn ?? false,
          version: 1,
        });
        expectFields('the new member', response.json, memberView(ctx, userId, orgId));
      },
    };
  },
};

const memberBuild =
  (withRole: boolean): RouteSpec['build'] =>
  (ctx, pick) => {
    const orgId = pickOrgId(ctx, pick);
    const userId = pickUserId(ctx.model, pick, orgId);
    return {
      params: { orgId, userId },
      ...(withRole ? { body: { role: pickRole(ctx, pick, orgId) } } : {}),
      headers: pickIfMatch(pick, ctx.model.membership(userId, orgId)?.version),
    };
  };

export const updateMember: RouteSpec = {
  weight: 6,
  build: memberBuild(true),
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const org = model.org(orgId);
    const member = model.membership(call.params.userId as string, orgId);
    if (!org) throw new Error('unreachable: the runner checked the org');
    if (!member) return fail([404]);
    const role = (call.body as { role: Role }).role;
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== member.version) failures.push(412);
    if (!mayHandle(ctx, orgId, member.role)) failures.push(403);
    if (!assignableAt(role, org.kind)) failures.push(400);
    if (!mayHandle(ctx, orgId, role)) failures.push(403);
    if (losesLastBuiltInAdmin(ctx, orgId, member, role)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        member.role = role;
        member.version += 1;
        expectFields('the changed member', response.json, memberView(ctx, member.userId, orgId));
      },
    };
  },
};

/** Whether this change would take away the last built-in administrator of a customer whose partner access is off. */
const losesLastBuiltInAdmin = (ctx: Ctx, orgId: string, member: ModelMembership, newRole: Role | null): boolean => {
  const { model } = ctx;
  const isAdmin = (role: Role | null, builtIn: boolean) => role !== null && builtIn && adminRoles.includes(role);
  return (
    model.org(orgId)?.partnerAccess === false &&
    isAdmin(member.role, member.builtIn) &&
    !isAdmin(newRole, member.builtIn) &&
    model.builtInAdmins(orgId) <= 1
  );
};

export const removeMember: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const built = memberBuild(false)(ctx, pick);
    return pick.chance(25) ? { ...built, query: { dryRun: pick.one(['true', 'false']) } } : built;
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const member = model.membership(call.params.userId as string, orgId);
    if (!member) return fail([404]);
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== member.version) failures.push(412);
    if (!mayHandle(ctx, orgId, member.role)) failures.push(403);
    const lastAdmin = losesLastBuiltInAdmin(ctx, orgId, member, null);
    if (call.query.dryRun === true) {
      if (failures.length > 0) return fail(failures);
      const subject = { kind: 'user' as const, principalId: member.userId, email: member.email };
      const rest = model.grantsOf(subject).filter((grant) => !(grant.kind === 'membership' && grant.orgId === orgId));
      const keeps = ['allowed', 'summary'].includes(model.accessThrough(rest, orgId, 'org:read'));
      return {
        statuses: [200],
        accept: (response) =>
          expectFields('the dry run', response.json, {
            dryRun: true,
            wouldSucceed: !lastAdmin,
            usersLosingAccess: keeps ? [] : [{ userId: member.userId, email: member.email, orgId, via: 'membership' }],
            sessionsEnding: [],
            violations: lastAdmin ? [{ rule: 'last-built-in-admin', message: LAST_ADMIN_MESSAGE }] : [],
          }),
      };
    }
    if (lastAdmin) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        model.memberships.delete(`${member.userId} ${orgId}`);
      },
    };
  },
};

/** The message the product gives the rule; the model checks that a dry run names the rule with it. */
const LAST_ADMIN_MESSAGE =
  'Partner access is off here and this is the last built-in administrator: add another before removing or demoting this one';

export const explainAccess: RouteSpec = {
  weight: 6,
  build: (ctx, pick) => {
    const { model } = ctx;
    const orgId = pickOrgId(ctx, pick);
    // Subjects with grants on the way down to the org make the interesting explanations.
    const above = model.lineage(orgId).flatMap((id) => model.membersOf(id).map((m) => m.userId));
    const userId = above.length > 0 && pick.chance(50) ? pick.one(above) : pickUserId(model, pick, orgId);
    const permission = pick.chance(97) ? pick.one(permissions) : pick.one(['org:fly', 'ORG:READ', '']);
    return { params: { orgId }, query: { userId, permission } };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const orgId = orgIdOf(call);
    const subject = { kind: 'user' as const, principalId: call.query.userId as string, email: '' };
    const permission = call.query.permission as string;
    const subjectGrants = model.grantsOf(subject);
    const answer = model.accessThrough(subjectGrants, orgId, permission as Permission);
    const allowing =
      answer === 'allowed' || answer === 'summary' ? model.allowingGrant(subjectGrants, orgId, permission as Permission) : undefined;
    // The asker sees the org's path from its own highest grant that reaches it down; a grant held above that is not named.
    const lineage = model.lineage(orgId);
    const askerGrants = new Set(model.covering(principal, orgId).map((grant) => grant.orgId));
    const inSight = lineage.slice(lineage.findIndex((id) => askerGrants.has(id)));
    const expected = allowing
      ? {
          allowed: true,
          grant: inSight.includes(allowing.orgId) ? { kind: allowing.kind, orgId: allowing.orgId, role: allowing.role } : null,
          rule: null,
        }
      : {
          allowed: false,
          grant: null,
          rule: answer === 'hidden' ? 'out-of-scope' : answer === 'restricted' ? 'partner-access-off' : 'missing-permission',
        };
    return { statuses: [200], accept: (response) => expectFields('the explanation', response.json, expected) };
  },
};
