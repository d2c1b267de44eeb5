import { allowedStatuses, configView, profileView } from '../model/business.ts';
import type { ModelOrg } from '../model/model.ts';
import { type Ctx, expectFields, fail, mismatch, type ParsedCall, pickIfMatch, pickOrgId, type RouteSpec } from '../spec.ts';
import type { Picker } from '../support/picker.ts';

/** Partner details and configuration: who may read and replace them, for which kinds of org, and what is kept. */

const orgOf = (ctx: Ctx, call: ParsedCall): ModelOrg => {
  const org = ctx.model.org(call.params.orgId as string);
  if (!org) throw new Error('the runner only asks `allowed` about orgs that exist');
  return org;
};

/** A target: often an org of the kinds the route serves (so calls get far), else any. */
const pickTarget = (ctx: Ctx, pick: Picker, kinds: readonly string[]): string => {
  const fitting = [...ctx.model.orgs.values()].filter((org) => kinds.includes(org.kind)).map((org) => org.id);
  return fitting.length > 0 && pick.chance(45) ? pick.one(fitting) : pickOrgId(ctx, pick);
};

const expectEtag = (headers: Record<string, string>, version: number): void => {
  if (headers.etag !== `"${version}"`) mismatch(`ETag is ${headers.etag}, the model says "${version}"`);
};

const pickContact = (pick: Picker): unknown =>
  pick.weighted<unknown>([
    [70, () => ({ name: pick.one(['Dana Admin', ' Ann  ', 'Bob']), email: pick.one(['dana@contoso.example', ' BOB@Fabrikam.Example']) })],
    [20, () => ({ name: 'Dana', email: 'dana@contoso.example', phone: pick.one(['+49 30 1234567', '+1 (555) 010-9999', null]) })],
    [10, () => null],
  ]);

/** A valid profile most of the time (kind rules and statuses aside), else one with a field its schema refuses. */
const pickProfileBody = (pick: Picker, kind: string | undefined): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  if (pick.chance(60)) body.companyContact = pickContact(pick);
  if (pick.chance(30)) body.billingContact = pickContact(pick);
  if (pick.chance(35)) body.website = pick.one(['https://contoso.example', 'http://www.fabrikam.example/about', null]);
  if (pick.chance(35)) {
    body.address = {
      lines: pick.one([[], ['Main Street 1'], ['Main Street 1', 'Floor 2']]),
      ...(pick.chance(60) ? { city: pick.one(['Berlin', 'Paris']) } : {}),
      ...(pick.chance(40) ? { postalCode: pick.one(['10115', '75001']) } : {}),
      country: pick.one(['DE', 'fr']),
    };
  }
  // Mostly the fields of the target's kind (statuses for partners, a programme for channels), now and then the other's.
  const partnerish = kind === 'partner' ? pick.chance(90) : pick.chance(10);
  if (partnerish && pick.chance(50)) body.statuses = pick.one([[], ['technical'], ['sales', 'gold'], ['gold', 'gold'], ['platinum']]);
  if (!partnerish && pick.chance(50)) {
    body.programme = {
      partnerStatuses: pick.one([[], ['gold'], ['gold', 'silver']]),
      acceptsApplications: pick.chance(70),
    };
  }
  if (pick.chance(12)) {
    const [field, value] = pick.one<[string, unknown]>([
      ['companyContact', { name: '', email: 'not-an-email' }],
      ['website', 'ftp://x.example'],
      ['address', { lines: ['a', 'b', 'c', 'd'], country: 'UK' }],
      ['statuses', ['Bad Slug']],
      ['programme', { partnerStatuses: ['technical'], acceptsApplications: true }],
      ['billingContact', { name: 'X', email: 'x@y.example', phone: '12345' }],
    ]);
    body[field] = value;
  }
  return body;
};

export const getProfile: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { orgId: pickTarget(ctx, pick, ['channel', 'partner']) } }),
  allowed: (ctx, call) => {
    const org = orgOf(ctx, call);
    if (org.kind !== 'channel' && org.kind !== 'partner') return fail([404]);
    const expected = profileView(ctx.model, org.id);
    return {
      statuses: [200],
      accept: (response) => {
        expectFields('the profile', response.json, expected);
        expectEtag(response.headers, expected.version as number);
      },
    };
  },
};

export const putProfile: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const orgId = pickTarget(ctx, pick, ['channel', 'partner']);
    return {
      params: { orgId },
      body: pickProfileBody(pick, ctx.model.org(orgId)?.kind),
      headers: pickIfMatch(pick, ctx.model.profiles.get(orgId)?.version ?? 0),
    };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const org = orgOf(ctx, call);
    if (org.kind !== 'channel' && org.kind !== 'partner') return fail([409]);
    const kind = org.kind;
    const current = model.profiles.get(org.id)?.version ?? 0;
    const body = call.body as { statuses?: string[]; programme?: unknown };
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== current) failures.push(412);
    if (kind === 'partner' && body.programme !== undefined) failures.push(400);
    if (kind === 'channel' && (body.statuses ?? []).length > 0) failures.push(400);
    if (kind === 'partner') {
      const allowed = allowedStatuses(model, org.id);
      if ((body.statuses ?? []).some((status) => !allowed.includes(status))) failures.push(400);
    }
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        model.profiles.set(org.id, { kind, fields: call.body, version: current + 1 });
        expectFields('the replaced profile', response.json, profileView(model, org.id));
        expectEtag(response.headers, current + 1);
      },
    };
  },
};

/** Addresses in the shapes people write them: canonical or not, duplicated; now and then private or malformed. */
const ipPool = ['8.8.8.8', '8.8.8.8/32', '8.8.8.0/24', '1.1.1.1', '2001:4860:4860::8888', '2001:4860:4860:0:0:0:0:8888', '2606:4700::/32'];
const badIps = ['10.0.0.1', '2001:db8::1', '8.8.8.8/24', 'nonsense'];

const pickIps = (pick: Picker): string[] =>
  Array.from({ length: pick.int(0, 4) }, () => (pick.chance(4) ? pick.one(badIps) : pick.one(ipPool)));

const pickConfigBody = (pick: Picker): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  if (pick.chance(70)) body.inboundIps = pickIps(pick);
  if (pick.chance(70)) body.outboundIps = pickIps(pick);
  if (pick.chance(40)) {
    body.smarthost = pick.weighted<unknown>([
      [15, () => null],
      [
        85,
        () => ({
          host: pick.chance(90) ? pick.one(['smtp.contoso.example', 'SMTP.Contoso.Example.', '8.8.4.4']) : pick.one(['mail', '10.0.0.25']),
          ...(pick.chance(50) ? { port: pick.chance(90) ? pick.one([25, 587]) : pick.one([0, 70000]) } : {}),
        }),
      ],
    ]);
  }
  return body;
};

export const getConfig: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { orgId: pickTarget(ctx, pick, ['partner', 'customer']) } }),
  allowed: (ctx, call) => {
    const org = orgOf(ctx, call);
    if (org.kind !== 'partner' && org.kind !== 'customer') return fail([404]);
    const expected = configView(ctx.model, org.id);
    return {
      statuses: [200],
      accept: (response) => {
        expectFields('the configuration', response.json, expected);
        expectEtag(response.headers, expected.version as number);
      },
    };
  },
};

export const putConfig: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const orgId = pickTarget(ctx, pick, ['partner', 'customer']);
    return { params: { orgId }, body: pickConfigBody(pick), headers: pickIfMatch(pick, ctx.model.configs.get(orgId)?.version ?? 0) };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const org = orgOf(ctx, call);
    if (org.kind !== 'partner' && org.kind !== 'customer') return fail([409]);
    const current = model.configs.get(org.id)?.version ?? 0;
    if (call.ifMatch !== null && call.ifMatch !== current) return fail([412]);
    const body = call.body as { inboundIps?: string[]; outboundIps?: string[]; smarthost?: { host: string; port?: number | null } | null };
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        model.configs.set(org.id, {
          inboundIps: body.inboundIps ?? [],
          outboundIps: body.outboundIps ?? [],
          smarthost: body.smarthost ? { host: body.smarthost.host, port: body.smarthost.port ?? null } : null,
          inheritedFrom: null,
          version: current + 1,
        });
        expectFields('the replaced configuration', response.json, configView(model, org.id));
        expectEtag(response.headers, current + 1);
      },
    };
  },
};
