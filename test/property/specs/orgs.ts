import { recordBillingEvent } from '../model/billing.ts';
import { forgetDetails, inheritConfig } from '../model/business.ts';
import type { ModelOrg } from '../model/model.ts';
import { childKinds, type Kind, maxDepth, nameKey, subscriptionMoves, subscriptionStates } from '../model/rules.ts';
import {
  type Ctx,
  expectFields,
  fail,
  listBinding,
  mismatch,
  type Outcome,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { namePool } from '../world.ts';
import { byKey, expectNoDuplicates, expectOrg, expectSameIds, walkPages } from './lists.ts';

const orgOf = (ctx: Ctx, call: ParsedCall): ModelOrg => {
  const org = ctx.model.org(call.params.orgId as string);
  if (!org) throw new Error('the runner only asks `allowed` about orgs that exist');
  return org;
};

/** Names for creates and renames: the world's prefix names and their case and spacing twins, and fresh ones. */
const pickName = (pick: Picker): string =>
  pick.weighted([
    [70, () => pick.one(namePool)],
    [30, () => `New ${pick.int(1, 40)}`],
  ]);

const matchesFilters = (org: ModelOrg, query: Record<string, unknown>): boolean =>
  (query.kind === undefined || org.kind === query.kind) &&
  (query.status === undefined || org.status === query.status) &&
  (typeof query.q !== 'string' || nameKey(org.name).startsWith(nameKey(query.q)));

export const getOrg: RouteSpec = {
  weight: 10,
  build: (ctx, pick) => ({ params: { orgId: pickOrgId(ctx, pick) } }),
  allowed: (ctx, call) => ({
    statuses: [200],
    accept: (response) => {
      const orgId = call.params.orgId as string;
      expectOrg('the org', response.json, ctx.model, orgId, ctx.principal);
      const summary = ctx.model.access(ctx.principal, orgId, 'org:read') === 'summary';
      const version = ctx.model.org(orgId)?.version;
      const etag = summary ? undefined : `"${version}"`;
      if (response.headers.etag !== etag) mismatch(`ETag is ${response.headers.etag}, the model says ${etag}`);
    },
  }),
};

/** A change of the subscription alone is billing: it needs billing:write instead of org:update (and crosses a restriction). */
const subscriptionOnly = (body: Record<string, unknown>): boolean =>
  body.subscriptionState !== undefined && body.name === undefined && body.status === undefined;

export const updateOrg: RouteSpec = {
  weight: 8,
  permission: (call) => (subscriptionOnly(call.body) ? 'billing:write' : 'org:update'),
  build: (ctx, pick) => {
    const orgId = pickOrgId(ctx, pick);
    const body: Record<string, unknown> = {};
    if (pick.chance(45)) body.name = pickName(pick);
    if (pick.chance(35)) body.status = pick.one(['active', 'suspended']);
    if (pick.chance(30)) body.subscriptionState = pick.one(subscriptionStates);
    if (Object.keys(body).length === 0 && pick.chance(90)) body.status = pick.one(['active', 'suspended']);
    return { params: { orgId }, body, headers: pickIfMatch(pick, ctx.model.org(orgId)?.version) };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const org = orgOf(ctx, call);
    const body = call.body as { name?: string; status?: 'active' | 'suspended'; subscriptionState?: ModelOrg['subscription'] };
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== org.version) failures.push(412);
    if (body.subscriptionState !== undefined) {
      if (model.access(principal, org.id, 'billing:write') !== 'allowed') failures.push(403);
      if (org.kind !== 'customer' || org.subscription === null) failures.push(400);
      else if (
        body.subscriptionState !== org.subscription &&
        !subscriptionMoves[org.subscription].includes(body.subscriptionState as never)
      )
        failures.push(409);
    }
    if (body.status !== undefined && body.status !== 'active' && org.parentId === null) failures.push(409);
    if (body.name !== undefined && org.parentId !== null && nameKey(body.name) !== nameKey(org.name)) {
      if (model.nameTaken(org.parentId, body.name, org.id)) failures.push(409);
    }
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        if (body.name !== undefined) org.name = body.name;
        if (body.status !== undefined) org.status = body.status;
        // A customer's subscription move is in its billing history, written with it.
        if (body.subscriptionState !== undefined && body.subscriptionState !== org.subscription && org.kind === 'customer') {
          recordBillingEvent(model, org.id, {
            type: 'subscription.changed',
            invoiceId: null,
            from: org.subscription,
            to: body.subscriptionState,
          });
        }
        if (body.subscriptionState !== undefined) org.subscription = body.subscriptionState;
        org.version += 1;
        expectOrg('the updated org', response.json, model, org.id);
      },
    };
  },
};

export const deleteOrg: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    // Leaves are what can be deleted; aim at them more often than chance would.
    const leaves = [...ctx.model.orgs.values()].filter((org) => ctx.model.children(org.id).length === 0).map((org) => org.id);
    const orgId = leaves.length > 0 && pick.chance(50) ? pick.one(leaves) : pickOrgId(ctx, pick);
    return { params: { orgId }, headers: pickIfMatch(pick, ctx.model.org(orgId)?.version) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const org = orgOf(ctx, call);
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== org.version) failures.push(412);
    if (org.parentId === null) failures.push(409);
    if (model.children(org.id).length > 0) failures.push(409);
    // Keys are revoked on purpose, never swept away with their org.
    if (model.keysOf(org.id).length > 0) failures.push(409);
    // Invoices are financial records: an invoiced customer is never deleted.
    if ([...model.invoices.values()].some((invoice) => invoice.customerId === org.id)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        // Its memberships, external admins and requester grants go with it: no grant outlives its org.
        for (const member of model.membersOf(org.id)) model.memberships.delete(`${member.userId} ${member.orgId}`);
        for (const [key, grant] of model.externalAdmins) if (grant.orgId === org.id) model.externalAdmins.delete(key);
        forgetDetails(model, org.id);
        model.portal.forgetCustomer(org.id);
        model.notePaths(org.id);
        model.orgs.delete(org.id);
        model.goneOrgIds.add(org.id);
      },
    };
  },
};

export const createChildOrg: RouteSpec = {
  weight: 8,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createChildOrg', (body) => ({ ...body, name: `${body.name} again` }));
    if (repeat) return repeat;
    const orgId = pickOrgId(ctx, pick);
    const parent = ctx.model.org(orgId);
    const fitting = parent ? childKinds[parent.kind] : [];
    const kind = fitting.length > 0 && pick.chance(75) ? pick.one(fitting) : pick.one(['channel', 'partner', 'customer'] as const);
    const body: Record<string, unknown> = { kind, name: pickName(pick) };
    if (pick.chance(kind === 'customer' ? 30 : 8)) body.customerType = pick.one(['standard', 'internal', 'nfr']);
    if (pick.chance(kind === 'customer' ? 30 : 8)) body.subscriptionState = pick.one(['trial', 'active']);
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const parent = orgOf(ctx, call);
    const body = call.body as { kind: Kind; name: string; customerType?: ModelOrg['customerType']; subscriptionState?: 'trial' | 'active' };
    const failures: number[] = [];
    if (body.kind !== 'customer' && (body.customerType !== undefined || body.subscriptionState !== undefined)) failures.push(400);
    if (!childKinds[parent.kind].includes(body.kind)) failures.push(409);
    if (model.depthOf(parent.id) + 1 > maxDepth) failures.push(409);
    if (parent.status !== 'active') failures.push(409);
    if (model.nameTaken(parent.id, body.name)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = (response.json as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string' || !/^org_[0-9a-z]{1,40}$/.test(id)) return mismatch(`the new org's id is ${JSON.stringify(id)}`);
        if (model.orgs.has(id) || model.goneOrgIds.has(id)) return mismatch(`the new org reuses the id ${id}`);
        const isCustomer = body.kind === 'customer';
        model.orgs.set(id, {
          id,
          kind: body.kind,
          name: body.name,
          parentId: parent.id,
          status: 'active',
          customerType: isCustomer ? (body.customerType ?? 'standard') : null,
          subscription: isCustomer ? (body.subscriptionState ?? 'trial') : null,
          partnerAccess: true,
          version: 1,
        });
        inheritConfig(model, parent.id, id);
        expectOrg('the created org', response.json, model, id);
        if (response.headers.location !== `/v1/orgs/${id}`) mismatch(`Location is ${response.headers.location}`);
      },
    };
  },
};

const listSpec = (list: 'children' | 'descendants'): RouteSpec => ({
  weight: 6,
  build: (ctx, pick) => ({
    params: { orgId: pickOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, true),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => listBinding(list, call.params.orgId as string, call.query),
  allowed: (ctx, call): Outcome => {
    const { model } = ctx;
    const orgId = call.params.orgId as string;
    const candidates = list === 'children' ? model.children(orgId) : model.descendants(orgId);
    // Only what some grant of the caller reaches: a grant reaching the target alone shows nothing below it.
    const expected = candidates.filter((org) => matchesFilters(org, call.query) && model.covering(ctx.principal, org.id).length > 0);
    const ordered =
      list === 'children'
        ? [...expected].sort(byKey((org) => `${org.kind}#${nameKey(org.name)}`))
        : orgId === model.rootId
          ? // The root's subtree is read channel by channel, in name order, each in path order.
            [...expected].sort(
              byKey((org) => {
                const channel = model.org(model.lineage(org.id)[1] as string) as ModelOrg;
                return `${nameKey(channel.name)}\u0000${channel.id}\u0000${model.pathOf(org.id)}/`;
              }),
            )
          : [...expected].sort(byKey((org) => `${model.pathOf(org.id)}/`));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, listBinding(list, orgId, call.query), call.walk === true);
        const ids = walked.items.map((item) => item.id);
        expectNoDuplicates(`${list} of ${orgId}`, ids);
        for (const item of walked.items) {
          const id = item.id as string;
          if (!expected.some((org) => org.id === id)) mismatch(`${list} of ${orgId} lists ${id}, which the model does not expect there`);
          expectOrg(`${id} in ${list} of ${orgId}`, item, model, id, ctx.principal);
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `${list} of ${orgId}`,
            ids as string[],
            ordered.map((org) => org.id),
            true,
          );
        }
      },
    };
  },
});

export const listChildOrgs = listSpec('children');
export const listDescendantOrgs = listSpec('descendants');

export const listAncestorOrgs: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => ({ params: { orgId: pickOrgId(ctx, pick) } }),
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const lineage = model.lineage(call.params.orgId as string);
    // From the highest grant that reaches the org: one that reaches a single org (a service assignment) starts at that org.
    const granted = new Set(model.covering(principal, call.params.orgId as string).map((grant) => grant.orgId));
    const from = lineage.findIndex((id) => granted.has(id));
    const expected = lineage.slice(from).map((id) => ({ id, name: model.org(id)?.name, kind: model.org(id)?.kind }));
    return {
      statuses: [200],
      accept: (response) => {
        const items = (response.json as { items?: unknown } | undefined)?.items;
        expectFields('the breadcrumb', { items }, { items: expected });
      },
    };
  },
};

export const moveOrg: RouteSpec = {
  weight: 7,
  build: (ctx, pick) => {
    const orgId = pickOrgId(ctx, pick);
    return {
      params: { orgId },
      body: { newParentId: pickOrgId(ctx, pick) },
      headers: pickIfMatch(pick, ctx.model.org(orgId)?.version),
    };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const org = orgOf(ctx, call);
    const newParentId = (call.body as { newParentId: string }).newParentId;
    const early: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== org.version) early.push(412);
    const there = model.access(principal, newParentId, 'org:move');
    if (there === 'missing' || there === 'hidden') early.push(404);
    // A destination whose partner access is off refuses the mover from above with its own 403, like any write there.
    if (there === 'forbidden' || there === 'restricted') early.push(403);
    if (org.parentId === null) early.push(409);
    if (model.orgs.has(newParentId) && model.isAncestorOrSelf(org.id, newParentId)) early.push(409);
    if (early.length > 0) return fail(early);
    if (org.parentId === newParentId) {
      return {
        statuses: [200],
        accept: (response) => {
          const result = response.json as { org?: unknown } | undefined;
          expectFields('a move to the same parent', result, { movedOrgs: 0, moveId: null });
          expectOrg('the org not moved', result?.org, model, org.id);
        },
      };
    }
    const newParent = model.org(newParentId) as ModelOrg;
    const late: number[] = [];
    if (!childKinds[newParent.kind].includes(org.kind)) late.push(409);
    if (newParent.status !== 'active') late.push(409);
    if (model.depthOf(newParentId) + 1 + model.heightOf(org.id) > maxDepth) late.push(409);
    if (model.nameTaken(newParentId, org.name)) late.push(409);
    if (late.length > 0) return fail(late);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        const moved = [org, ...model.descendants(org.id)];
        model.notePaths(org.id);
        org.parentId = newParentId;
        for (const item of moved) item.version += 1;
        const result = response.json as { org?: unknown } | undefined;
        expectFields('the move', result, { movedOrgs: moved.length, moveId: null });
        expectOrg('the moved org', result?.org, model, org.id);
      },
    };
  },
};
