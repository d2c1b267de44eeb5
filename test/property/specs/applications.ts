import { acceptsApplications, applicationView, newestFirst } from '../model/business.ts';
import { type ModelApplication, membershipKey } from '../model/model.ts';
import { type Ctx, expectFields, fail, mismatch, type ParsedCall, pickListQuery, pickOrgId, type RouteSpec } from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { namePool } from '../world.ts';
import { expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

/**
 * Programme applications: the public form (anyone, only open channels), the
 * channel's list, and approval (a partner org and its administrator, once)
 * or rejection (final).
 */

/** Not an application id at all: a 400 whoever asks. */
const malformedAppIds = ['APP_1', 'app_', 'org_a1', 'app_a/b', 'app-1'];

const pickAppId = (ctx: Ctx, pick: Picker): string => {
  const known = [...ctx.model.applications.keys()];
  return pick.weighted([
    [known.length > 0 ? 80 : 0, () => pick.one(known)],
    [15, () => pick.one(['app_zz', 'app_0', 'app_a1'])],
    [5, () => pick.one(malformedAppIds)],
  ]);
};

const appOf = (ctx: Ctx, call: ParsedCall): ModelApplication | undefined => ctx.model.applications.get(call.params.appId as string);

/** The permission is checked on the application's channel; an unknown application has none (404, as a missing org). */
const channelOf = (call: ParsedCall, ctx: Ctx): string => appOf(ctx, call)?.channelId ?? 'org_noapplication';

const pickChannelId = (ctx: Ctx, pick: Picker): string => {
  const channels = [...ctx.model.orgs.values()].filter((org) => org.kind === 'channel').map((org) => org.id);
  return channels.length > 0 && pick.chance(70) ? pick.one(channels) : pickOrgId(ctx, pick);
};

/** The form's channel: mostly a channel (open or not), now and then any org or an id that is none. */
const pickFormChannel = (ctx: Ctx, pick: Picker): string => {
  const open = [...ctx.model.orgs.keys()].filter((id) => acceptsApplications(ctx.model, id));
  return open.length > 0 && pick.chance(55) ? pick.one(open) : pickChannelId(ctx, pick);
};

export const submitApplication: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const body: Record<string, unknown> = {
      channelId: pickFormChannel(ctx, pick),
      company: pick.weighted([
        [60, () => pick.one(namePool)],
        [40, () => `Applicant ${pick.int(1, 40)}`],
      ]),
      contactName: pick.one(['Ada Applicant', ' Bo ']),
      contactEmail: pick.weighted([
        [50, () => pick.one(ctx.world.emails)],
        [50, () => `applicant${pick.int(1, 20)}.${ctx.world.adminEmail.split('.')[1]}@apply.test`],
      ]),
      country: pick.one(['FR', 'fr', 'DE']),
    };
    if (pick.chance(40)) body.website = 'https://applicant.example';
    if (pick.chance(30)) body.message = pick.one(['We would like to join.', 'Two\nlines']);
    if (pick.chance(10)) {
      const [field, value] = pick.one<[string, unknown]>([
        ['contactName', ''],
        ['country', pick.one(['UK', 'XX'])],
        ['website', 'javascript:alert(1)'],
        ['message', 'a\u0000b'],
        ['unexpected', true],
        ['contactEmail', 'not-an-email'],
      ]);
      body[field] = value;
    }
    return { params: {}, body };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const body = call.body as {
      channelId: string;
      company: string;
      contactName: string;
      contactEmail: string;
      country: string;
      website?: string;
    };
    if (!acceptsApplications(model, body.channelId)) return fail([400]);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const answer = response.json as { id?: unknown; submittedAt?: unknown } | undefined;
        const id = answer?.id;
        if (typeof id !== 'string' || !/^app_[0-9a-z]{1,40}$/.test(id) || model.applications.has(id)) {
          return mismatch(`the new application's id is ${JSON.stringify(id)}`);
        }
        const app: ModelApplication = {
          id,
          channelId: body.channelId,
          company: body.company,
          contactName: body.contactName,
          contactEmail: body.contactEmail,
          country: body.country,
          website: body.website ?? null,
          submittedAt: String(answer?.submittedAt),
          status: 'pending',
          reason: null,
          partnerId: null,
          partnerAdminId: null,
          decidedBy: null,
          version: 1,
        };
        model.applications.set(id, app);
        const { reason, decidedBy, partnerId, partnerAdminId, version, ...submitted } = applicationView(model, app, null);
        expectFields('the submitted application', response.json, submitted);
      },
    };
  },
};

const applicationsBinding = (orgId: string, status: unknown) => `applications|${orgId}|${typeof status === 'string' ? status : ''}`;

export const listApplications: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => {
    const query = pickListQuery(ctx.model, pick, false);
    if (pick.chance(40)) query.status = pick.one(['pending', 'approved', 'rejected', 'accepted']);
    return { params: { orgId: pickChannelId(ctx, pick) }, query, walk: pick.chance(40) };
  },
  cursorBinding: (call) => applicationsBinding(call.params.orgId as string, call.query.status),
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const orgId = call.params.orgId as string;
    const expected = [...model.applications.values()]
      .filter((app) => app.channelId === orgId && (call.query.status === undefined || app.status === call.query.status))
      .sort(newestFirst);
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, applicationsBinding(orgId, call.query.status), call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates(`applications of ${orgId}`, ids);
        for (const item of walked.items) {
          const app = model.applications.get(item.id as string);
          if (!app || !expected.includes(app))
            return mismatch(`applications of ${orgId} lists ${String(item.id)}, which the model does not expect`);
          expectFields(`application ${app.id}`, item, applicationView(model, app, principal));
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `applications of ${orgId}`,
            ids,
            expected.map((app) => app.id),
            true,
          );
        }
      },
    };
  },
};

export const approveApplication: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { appId: pickAppId(ctx, pick) } }),
  target: channelOf,
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const app = appOf(ctx, call);
    if (!app) throw new Error('the runner only asks `allowed` about applications whose channel the caller may act on');
    if (app.status === 'rejected') return fail([409]);
    if (app.status === 'approved') {
      return {
        statuses: [200],
        accept: (response) =>
          expectFields('the approved application, again', response.json, { ...applicationView(model, app, principal), invitation: null }),
      };
    }
    const channel = model.org(app.channelId);
    if (!channel) throw new Error('unreachable: the runner checked the channel');
    const failures: number[] = [];
    if (channel.status !== 'active') failures.push(409);
    if (model.nameTaken(channel.id, app.company)) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        const answer = response.json as { partnerId?: unknown; partnerAdminId?: unknown } | undefined;
        const partnerId = answer?.partnerId;
        const adminId = answer?.partnerAdminId;
        if (
          typeof partnerId !== 'string' ||
          !/^org_[0-9a-z]{1,40}$/.test(partnerId) ||
          model.orgs.has(partnerId) ||
          model.goneOrgIds.has(partnerId)
        ) {
          return mismatch(`the new partner's id is ${JSON.stringify(partnerId)}`);
        }
        const knownId = model.userIdByEmail.get(app.contactEmail);
        if (typeof adminId !== 'string' || !/^usr_[0-9a-z]{1,40}$/.test(adminId))
          return mismatch(`the new admin's id is ${String(adminId)}`);
        if (knownId && adminId !== knownId) return mismatch(`${app.contactEmail} is ${knownId}, but the new admin is ${adminId}`);
        if (!knownId && model.userIds().includes(adminId)) return mismatch(`a new user got the id of another: ${adminId}`);
        model.orgs.set(partnerId, {
          id: partnerId,
          kind: 'partner',
          name: app.company,
          parentId: channel.id,
          status: 'active',
          customerType: null,
          subscription: null,
          partnerAccess: true,
          version: 1,
        });
        model.userIdByEmail.set(app.contactEmail, adminId);
        model.memberships.set(membershipKey(adminId, partnerId), {
          userId: adminId,
          email: app.contactEmail,
          orgId: partnerId,
          role: 'partner-admin',
          builtIn: true,
          version: 1,
        });
        model.profiles.set(partnerId, {
          kind: 'partner',
          fields: {
            companyContact: { name: app.contactName, email: app.contactEmail, phone: null },
            website: app.website,
            address: { lines: [], country: app.country },
            statuses: [],
          },
          version: 1,
        });
        Object.assign(app, {
          status: 'approved',
          partnerId,
          partnerAdminId: adminId,
          decidedBy: principal?.principalId ?? null,
          version: app.version + 1,
        });
        expectFields('the approval', response.json, { ...applicationView(model, app, principal), invitation: 'not-sent' });
      },
    };
  },
};

export const rejectApplication: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => ({
    params: { appId: pickAppId(ctx, pick) },
    body: { reason: pick.one(['Not now', ' Outside our region ', 'Two\nlines', '', 'x'.repeat(501)]) },
  }),
  target: channelOf,
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const app = appOf(ctx, call);
    if (!app) throw new Error('the runner only asks `allowed` about applications whose channel the caller may act on');
    if (app.status === 'approved') return fail([409]);
    if (app.status === 'rejected') {
      return {
        statuses: [200],
        accept: (response) => expectFields('the rejected application, again', response.json, applicationView(model, app, principal)),
      };
    }
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        Object.assign(app, {
          status: 'rejected',
          reason: (call.body as { reason: string }).reason,
          decidedBy: principal?.principalId ?? null,
          version: app.version + 1,
        });
        expectFields('the rejection', response.json, applicationView(model, app, principal));
      },
    };
  },
};
