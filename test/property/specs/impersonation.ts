import type { ModelSession } from '../model/model.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickListQuery,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
  sameJson,
} from '../spec.ts';
import { sessionReasons } from '../support/sessions.ts';
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

/** A session as the list shows it, at this moment; `endedAt` is checked apart (the model knows it only for replacements). */
const sessionView = (ctx: Ctx, session: ModelSession) => {
  const running = ctx.model.isRunning(session);
  const expired = session.endedAt === null && !running;
  return {
    id: session.id,
    customerId: session.customerId,
    impersonatorId: session.impersonatorId,
    impersonatorEmail: session.impersonatorEmail,
    actingRole: 'customer-admin',
    reason: session.reason,
    ticket: session.ticket,
    startedAt: session.startedAt,
    expiresAt: session.endsAt,
    status: running ? 'active' : 'ended',
    endReason: session.endReason ?? (expired ? 'expired' : null),
  };
};

const expectEndedAt = (ctx: Ctx, session: ModelSession, actual: unknown): void => {
  const running = ctx.model.isRunning(session);
  const expected = running ? null : session.endedAt === null ? session.endsAt : session.endedAt;
  if (expected === 'unknown') {
    if (typeof actual !== 'string' || actual < session.startedAt) mismatch(`session ${session.id} ended at ${String(actual)}`);
  } else if (actual !== expected) {
    mismatch(`session ${session.id}: endedAt is ${JSON.stringify(actual)}, the model says ${JSON.stringify(expected)}`);
  }
};

/**
 * `POST /v1/orgs/{orgId}/impersonations`: the runner has checked `impersonate`
 * on the target (impersonation tokens fail there: the admin role they act
 * with lacks it). A person starts a session in a customer; anything else is
 * `customers-only`. A start ends the starter's running session in that
 * customer, and the model learns the token to call with later.
 */
export const startImpersonation: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'startImpersonation', (body) => ({ ...body, minutes: body.minutes === 30 ? 45 : 30 }));
    if (repeat) return repeat;
    const { model, principal } = ctx;
    const customers = [...model.orgs.values()].filter((org) => org.kind === 'customer').map((org) => org.id);
    // Customers the caller may log in to make the starts that succeed; any customer, or any org, the refusals.
    const mine = customers.filter((id) => model.access(principal, id, 'impersonate') === 'allowed');
    const orgId = pick.weighted<string>([
      [mine.length > 0 ? 45 : 0, () => pick.one(mine)],
      [customers.length > 0 ? 25 : 0, () => pick.one(customers)],
      [30, () => pickOrgId(ctx, pick)],
    ]);
    // Never under 5 minutes: a session must not run out while the world is still being judged.
    const body: Record<string, unknown> = {
      reason: pick.weighted<string>([
        [88, () => pick.one(sessionReasons)],
        [12, () => pick.one(['too short', '   short    ', 'bell\u0007 in the reason', 'x'.repeat(501)])],
      ]),
      minutes: pick.weighted<unknown>([
        [90, () => pick.one([5, 15, 30, 60])],
        [10, () => pick.one([0, 61, 7.5, '30', -5])],
      ]),
    };
    if (pick.chance(30))
      body.ticket = pick.weighted<string>([
        [90, () => pick.one(['T-1', ' INC-42 ', 'CASE 7'])],
        [10, () => pick.one(['', '   ', 'x'.repeat(101)])],
      ]);
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const orgId = orgIdOf(call);
    const org = model.org(orgId);
    if (!org) throw new Error('unreachable: the runner checked the org');
    if (principal?.kind !== 'user') return fail([403]);
    if (org.kind !== 'customer') return fail([409]);
    const body = call.body as { reason: string; minutes: number; ticket?: string };
    const impersonatorId = principal.principalId;
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const started = (response.json ?? {}) as Record<string, unknown>;
        const id = started.id;
        if (typeof id !== 'string' || !/^imp_[0-9a-z]{1,40}$/.test(id)) return mismatch(`the session's id is ${JSON.stringify(id)}`);
        if (model.sessions.has(id)) return mismatch(`the new session reuses the id ${id}`);
        expectFields('the started session', started, { customerId: orgId, actingRole: 'customer-admin' });
        const { startedAt, expiresAt, token } = started;
        if (typeof startedAt !== 'string' || typeof expiresAt !== 'string' || typeof token !== 'string') {
          return mismatch(`the start answered ${JSON.stringify(started)}`);
        }
        if (Date.parse(expiresAt) - Date.parse(startedAt) !== body.minutes * 60_000) {
          mismatch(`a ${body.minutes}-minute session runs from ${startedAt} to ${expiresAt}`);
        }
        const replaced = model.recordStart({
          id,
          customerId: orgId,
          impersonatorId,
          impersonatorEmail: model.emailOf(impersonatorId) ?? '',
          reason: body.reason,
          ticket: body.ticket ?? null,
          startedAt,
          endsAt: expiresAt,
          token,
        });
        const listed = Array.isArray(started.replacedSessionIds) ? [...started.replacedSessionIds].sort() : started.replacedSessionIds;
        if (!sameJson(listed, [...replaced].sort())) {
          mismatch(`the start replaced ${JSON.stringify(started.replacedSessionIds)}, the model says ${JSON.stringify(replaced)}`);
        }
      },
    };
  },
};

const listBindingOf = (call: ParsedCall) => `impersonations|${orgIdOf(call)}|${String(call.query.status ?? '')}`;

/**
 * `GET /v1/orgs/{orgId}/impersonations`: the sessions listed under the org
 * when they started whose customer is still at or below it, newest first;
 * from above, never those of a customer that switched partner access off
 * (unless the caller may read its access itself). Tokens never appear.
 */
export const listImpersonations: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const query = pickListQuery(ctx.model, pick, false);
    if (pick.chance(35))
      query.status = pick.weighted<string>([
        [45, () => 'active'],
        [45, () => 'ended'],
        [10, () => pick.one(['running', 'ACTIVE', ''])],
      ]);
    // Often an org whose list holds sessions (a customer's or one above it), so lists come back full, not empty.
    const listing = [...ctx.model.sessions.values()].flatMap((session) => session.listedUnder);
    const orgId = listing.length > 0 && pick.chance(40) ? pick.one(listing) : pickOrgId(ctx, pick);
    return { params: { orgId }, query, walk: pick.chance(40) };
  },
  cursorBinding: listBindingOf,
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const orgId = orgIdOf(call);
    const status = call.query.status as 'active' | 'ended' | undefined;
    const shown = [...model.sessions.values()].filter((session) => {
      const customer = model.org(session.customerId);
      if (!customer || !session.listedUnder.includes(orgId) || !model.isAncestorOrSelf(orgId, customer.id)) return false;
      // Below the target, only customers the caller could list itself (none behind a restriction, none below an org it reaches alone).
      return customer.id === orgId || model.access(principal, customer.id, 'access:read') === 'allowed';
    });
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const expected = shown
          .filter((session) => status === undefined || (status === 'active') === model.isRunning(session))
          .sort(byKey((session: ModelSession) => `${session.startedAt}#${session.id}`))
          .reverse();
        const walked = await walkPages(response, tools, listBindingOf(call), call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates(`sessions of ${orgId}`, ids);
        for (const item of walked.items) {
          const session = expected.find((candidate) => candidate.id === item.id);
          if (!session) return mismatch(`sessions of ${orgId} list ${String(item.id)}, which the model does not expect there`);
          expectFields(`session ${session.id} in the list of ${orgId}`, item, sessionView(ctx, session));
          expectEndedAt(ctx, session, item.endedAt);
          if ('token' in item) mismatch(`the list of ${orgId} shows a session's token`);
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `sessions of ${orgId}`,
            ids,
            expected.map((session) => session.id),
            true,
          );
        }
      },
    };
  },
};

/**
 * `DELETE /v1/impersonations/{impId}`: no route permission (who may end a
 * session depends on it). Its impersonator and the session itself always may;
 * else the customer's admins (`member:write`) and whoever may impersonate
 * there; someone who may only read the customer's access gets 403, anyone
 * else 404. Ending an ended session is 204 again and changes nothing.
 */
export const endImpersonation: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const { model, principal } = ctx;
    const ids = [...model.sessions.keys()];
    const own = ctx.caller.kind === 'impersonation' ? ctx.caller.sessionId : undefined;
    // Sessions the caller started, or in customers the caller administers or may impersonate: the ends that succeed.
    const theirs = [...model.sessions.values()]
      .filter(
        (session) =>
          session.impersonatorId === principal?.principalId ||
          model.access(principal, session.customerId, 'member:write') === 'allowed' ||
          model.access(principal, session.customerId, 'impersonate') === 'allowed',
      )
      .map((session) => session.id);
    // And sessions the caller can see listed but not end: the 403s.
    const seen = [...model.sessions.values()]
      .filter((session) => !theirs.includes(session.id) && model.access(principal, session.customerId, 'access:read') === 'allowed')
      .map((session) => session.id);
    const impId = pick.weighted<string>([
      [own ? 30 : 0, () => own ?? ''],
      [theirs.length > 0 ? 30 : 0, () => pick.one(theirs)],
      [seen.length > 0 ? 15 : 0, () => pick.one(seen)],
      [ids.length > 0 ? 25 : 0, () => pick.one(ids)],
      [10, () => pick.one(['imp_0missing', 'imp_a1', 'imp_a10'])],
      [5, () => pick.one(['IMP_1', 'imp_', 'usr_1', 'imp_a/b', 'imp_a1 '])],
    ]);
    return { params: { impId } };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const session = model.sessions.get(call.params.impId as string);
    if (!session || !principal) return fail([404]);
    const own =
      (principal.kind === 'user' && principal.principalId !== '' && principal.principalId === session.impersonatorId) ||
      (principal.kind === 'impersonation' && principal.principalId === session.id);
    if (!own) {
      const grants = model.grantsOf(principal);
      const at = (permission: 'member:write' | 'impersonate' | 'access:read') =>
        model.accessThrough(grants, session.customerId, permission) === 'allowed';
      if (!model.orgs.has(session.customerId)) return fail([404]);
      if (!at('member:write') && !at('impersonate')) return fail([at('access:read') ? 403 : 404]);
    }
    const running = model.isRunning(session);
    return {
      statuses: [204],
      mutates: running,
      accept: () => {
        if (!running) return;
        session.endedAt = 'unknown';
        session.endReason = 'ended';
        session.version += 1;
      },
    };
  },
};
