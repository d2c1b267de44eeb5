import type { ModelAsset, ModelProject, ModelRequester, Verdict } from '../model/portal.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import type { Walked } from './lists.ts';
import { expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';
import { assetView, expectEtag, newestFirst, newIdOf, pickItemId, pickPortalOrgId, projectView } from './portal-support.ts';

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

/** A complete walk must list exactly `expected` (newest first); any page only items of it, as the model shows them. */
const expectListed = (what: string, walked: Walked, call: ParsedCall, expected: Map<string, Record<string, unknown>>): void => {
  const ids = walked.items.map((item) => item.id as string);
  expectNoDuplicates(what, ids);
  for (const item of walked.items) {
    const view = expected.get(item.id as string);
    if (!view) {
      mismatch(`${what} list ${String(item.id)}, out of this caller's sight`);
      return;
    }
    expectFields(`${what}: ${String(item.id)}`, item, view);
  }
  if (walked.complete && call.query.cursor === undefined) expectSameIds(what, ids, [...expected.keys()].sort(newestFirst), true);
};

const projectStatuses = ['planned', 'active', 'on_hold', 'completed', 'cancelled'];

export const listProjects: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `projects|${orgIdOf(call)}`,
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', ['view-projects']).access,
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    const { side } = ctx.model.portal.onCustomer(ctx.principal, orgId, 'portal:read', ['view-projects']);
    const expected = new Map(
      [...ctx.model.portal.projects.values()]
        .filter((p) => p.customerId === orgId && (side === 'msp' || p.visibleToClient))
        .map((p) => [p.id, projectView(p)]),
    );
    return {
      statuses: [200],
      accept: async (response, tools) =>
        expectListed(`projects of ${orgId}`, await walkPages(response, tools, `projects|${orgId}`, call.walk), call, expected),
    };
  },
};

const pickProjectChanges = (pick: Picker, creating: boolean): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  if (creating || pick.chance(30)) body.name = pick.chance(97) ? pick.one(['Office move', 'Backup', ' Wi-Fi ']) : '';
  if (creating || pick.chance(40)) body.visibleToClient = pick.chance(97) ? pick.chance(50) : 'yes';
  if (pick.chance(40)) body.status = pick.chance(95) ? pick.one(projectStatuses) : 'done';
  if (pick.chance(30)) body.progress = pick.chance(90) ? pick.one([0, 40, 100]) : pick.one([101, -1, 2.5]);
  if (pick.chance(15)) body.description = pick.chance(90) ? 'Phase one' : '';
  return body;
};

export const createProject: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createProject', (body) => ({ ...body, name: `${body.name} again` }));
    if (repeat) return repeat;
    return { params: { orgId: pickPortalOrgId(ctx, pick) }, body: pickProjectChanges(pick, true), headers: pickIdempotencyKey(pick) };
  },
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:write', []).access,
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    if (ctx.model.org(orgId)?.kind !== 'customer') return fail([409]);
    const body = call.body as { name: string; visibleToClient: boolean; status?: string; progress?: number; description?: string };
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'prj', ctx.model.portal.projects);
        const project: ModelProject = {
          id,
          customerId: orgId,
          name: body.name,
          description: body.description ?? null,
          status: body.status ?? 'planned',
          progress: body.progress ?? 0,
          visibleToClient: body.visibleToClient,
          version: 1,
        };
        ctx.model.portal.projects.set(id, project);
        expectFields('the new project', response.json, projectView(project));
      },
    };
  },
};

const projectOf = (ctx: Ctx, call: ParsedCall) => ctx.model.portal.projects.get(call.params.projectId as string);
const projectVerdict =
  (ctx: Ctx, project: ModelProject) =>
  (requester: ModelRequester): Verdict =>
    project.visibleToClient && ctx.model.portal.holds(requester, 'view-projects') ? 'forbidden' : 'hidden';

export const updateProject: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const projectId = pickItemId(ctx, pick, 'prj', ctx.model.portal.projects.values(), (p) => p.customerId);
    const body = pickProjectChanges(pick, false);
    if (Object.keys(body).length === 0 && pick.chance(90)) body.progress = 50;
    return { params: { projectId }, body, headers: pickIfMatch(pick, ctx.model.portal.projects.get(projectId)?.version) };
  },
  target: (call) => call.params.projectId as string,
  access: (ctx, call) => {
    const project = projectOf(ctx, call);
    return project
      ? ctx.model.portal.onItem(ctx.principal, project.customerId, 'portal:write', projectVerdict(ctx, project)).access
      : 'missing';
  },
  allowed: (ctx, call) => {
    const project = projectOf(ctx, call);
    if (!project) throw new Error('unreachable: the runner checked the project');
    if (call.ifMatch !== null && call.ifMatch !== project.version) return fail([412]);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        Object.assign(project, call.body);
        project.version += 1;
        expectFields('the changed project', response.json, projectView(project));
        expectEtag(response.headers, project.version);
      },
    };
  },
};

export const listAssets: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `assets|${orgIdOf(call)}`,
  access: (ctx, call) =>
    ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', ['view-all-assets', 'view-mapped-assets']).access,
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const { side } = portal.onCustomer(ctx.principal, orgId, 'portal:read', ['view-all-assets', 'view-mapped-assets']);
    const requester = portal.requesterAt(ctx.principal, orgId);
    const expected = new Map(
      [...portal.assets.values()]
        .filter((a) => a.customerId === orgId && (side === 'msp' || (requester !== undefined && portal.seesAsset(requester, a))))
        .map((a) => [a.id, assetView(a)]),
    );
    return {
      statuses: [200],
      accept: async (response, tools) =>
        expectListed(`assets of ${orgId}`, await walkPages(response, tools, `assets|${orgId}`, call.walk), call, expected),
    };
  },
};

export const createAsset: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createAsset', (body) => ({ ...body, name: `${body.name} again` }));
    if (repeat) return repeat;
    const body: Record<string, unknown> = {
      name: pick.chance(95) ? pick.one(['Laptop 7', 'NAS', ' Core switch ']) : '',
      type: pick.chance(95) ? pick.one(['laptop', 'server', 'network', 'other']) : 'toaster',
    };
    if (pick.chance(40)) body.serialNumber = pick.one(['SN-1', 'A1/B2', '-bad', 'ab cd']);
    return { params: { orgId: pickPortalOrgId(ctx, pick) }, body, headers: pickIdempotencyKey(pick) };
  },
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:write', []).access,
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    if (ctx.model.org(orgId)?.kind !== 'customer') return fail([409]);
    const body = call.body as { name: string; type: string; serialNumber?: string };
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'ast', ctx.model.portal.assets);
        const asset: ModelAsset = {
          id,
          customerId: orgId,
          name: body.name,
          type: body.type,
          serialNumber: body.serialNumber ?? null,
          links: [],
          version: 1,
        };
        ctx.model.portal.assets.set(id, asset);
        expectFields('the new asset', response.json, assetView(asset));
      },
    };
  },
};

const assetOf = (ctx: Ctx, call: ParsedCall) => ctx.model.portal.assets.get(call.params.assetId as string);
const assetVerdict =
  (ctx: Ctx, asset: ModelAsset) =>
  (requester: ModelRequester): Verdict =>
    ctx.model.portal.seesAsset(requester, asset) ? 'forbidden' : 'hidden';

export const setAssetRequesters: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const assetId = pickItemId(ctx, pick, 'ast', ctx.model.portal.assets.values(), (a) => a.customerId);
    const customerId = ctx.model.portal.assets.get(assetId)?.customerId ?? '';
    const here = ctx.model.portal.requestersOf(customerId).map((r) => r.userId);
    const others = [...ctx.model.portal.requesters.values()].map((r) => r.userId);
    const userIds = [
      ...new Set([...here.filter(() => pick.chance(60)), ...(pick.chance(15) && others.length > 0 ? [pick.one(others)] : [])]),
    ];
    const body = pick.weighted<unknown>([
      [90, () => ({ userIds })],
      [10, () => pick.one([{ userIds: ['usr_a1', 'usr_a1'] }, { userIds: 'usr_a1' }, {}, { userIds: ['org_a1'] }])],
    ]);
    return { params: { assetId }, body, headers: pickIfMatch(pick, ctx.model.portal.assets.get(assetId)?.version) };
  },
  target: (call) => call.params.assetId as string,
  access: (ctx, call) => {
    const asset = assetOf(ctx, call);
    return asset ? ctx.model.portal.onItem(ctx.principal, asset.customerId, 'portal:write', assetVerdict(ctx, asset)).access : 'missing';
  },
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const asset = assetOf(ctx, call);
    if (!asset) throw new Error('unreachable: the runner checked the asset');
    const userIds = (call.body as { userIds: string[] }).userIds;
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== asset.version) failures.push(412);
    if (userIds.some((userId) => !portal.requester(userId, asset.customerId))) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        asset.links = userIds.map((userId) => ({ userId, link: portal.requester(userId, asset.customerId)?.link ?? 0 }));
        asset.version += 1;
        expectFields('the mapped asset', response.json, assetView(asset));
        expectEtag(response.headers, asset.version);
      },
    };
  },
};
