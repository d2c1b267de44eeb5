import { partnerAccessLosses } from '../model/access.ts';
import { adminRoles, type ModelOrg } from '../model/model.ts';
import { roleCarries } from '../model/rules.ts';
import { type Ctx, expectFields, fail, mismatch, type ParsedCall, pickIfMatch, pickOrgId, type RouteSpec } from '../spec.ts';
import { expectOrg } from './lists.ts';

const orgOf = (ctx: Ctx, call: ParsedCall): ModelOrg => {
  const org = ctx.model.org(call.params.orgId as string);
  if (!org) throw new Error('the runner only asks `allowed` about orgs that exist');
  return org;
};

/** Only a membership held at the customer itself may switch it (for an internal domain, a built-in administrator's). */
const isOwnAdmin = (ctx: Ctx, org: ModelOrg): boolean => {
  const { model, principal } = ctx;
  if (!principal?.principalId) return false;
  const member = model.membership(principal.principalId, org.id);
  if (!member || !roleCarries(member.role, 'partner-access:write')) return false;
  return org.customerType !== 'internal' || (member.builtIn && adminRoles.includes(member.role));
};

export const setPartnerAccess: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => {
    const customers = [...ctx.model.orgs.values()].filter((org) => org.kind === 'customer').map((org) => org.id);
    const orgId = customers.length > 0 && pick.chance(60) ? pick.one(customers) : pickOrgId(ctx, pick);
    return {
      params: { orgId },
      body: pick.chance(95) ? { enabled: pick.chance(50) } : { enabled: 'no' },
      ...(pick.chance(25) ? { query: { dryRun: pick.one(['true', 'false']) } } : {}),
      headers: pickIfMatch(pick, ctx.model.org(orgId)?.version),
    };
  },
  allowed: (ctx, call) => {
    const { model } = ctx;
    const org = orgOf(ctx, call);
    const enabled = (call.body as { enabled: boolean }).enabled;
    if (!isOwnAdmin(ctx, org)) return fail([403]);
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== org.version) failures.push(412);
    if (org.kind !== 'customer') failures.push(409);
    const noAdmin = !enabled && model.builtInAdmins(org.id) < 1;
    // Switching off ends the customer's running sessions (those whose impersonator lost `impersonate` too: they still run).
    const ending = enabled ? [] : model.runningSessionsOf(org.id);
    if (call.query.dryRun === true) {
      if (failures.length > 0) return fail(failures);
      const losses = enabled ? { named: [], aboveScope: 0 } : partnerAccessLosses(model, ctx.principal, org.id);
      return {
        statuses: [200],
        accept: (response) =>
          expectFields('the dry run', response.json, {
            dryRun: true,
            wouldSucceed: !noAdmin,
            usersLosingAccess: losses.named,
            losingAccessAboveScope: losses.aboveScope,
            sessionsEnding: ending.map((session) => session.id),
            violations: noAdmin
              ? [
                  {
                    rule: 'no-built-in-admin',
                    message: 'Partner access can be switched off only while the customer has a built-in administrator',
                  },
                ]
              : [],
          }),
      };
    }
    if (noAdmin) failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        if (org.partnerAccess !== enabled) {
          org.partnerAccess = enabled;
          org.version += 1;
          if (!enabled) model.endSessionsOf(org.id, 'partner-access-off');
        }
        expectOrg('the switched org', response.json, model, org.id);
        if (response.headers.etag !== `"${org.version}"`) mismatch(`ETag is ${response.headers.etag}, the model says "${org.version}"`);
      },
    };
  },
};
