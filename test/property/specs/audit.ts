import type { ModelOrg } from '../model/model.ts';
import { expectFields, mismatch, pickOrgId, type RouteSpec } from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { walkPages } from './lists.ts';

const auditActionsPicked = ['org.created', 'member.added', 'member.removed', 'org.renamed', 'org.partner_access_changed', 'org.flew'];

const pickAuditQuery = (pick: Picker): Record<string, string> => {
  const query: Record<string, string> = {};
  if (pick.chance(15)) query.action = pick.one(auditActionsPicked);
  if (pick.chance(10)) query.from = pick.one(['2020-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 'yesterday']);
  if (pick.chance(10)) query.to = pick.one(['2020-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z']);
  if (pick.chance(8)) query.actor = pick.one(['usr_0', 'key_1', 'imp_1', 'bob']);
  if (pick.chance(30)) query.limit = String(pick.int(1, 5));
  return query;
};

const auditBinding = (orgId: string, query: Record<string, unknown>) => `audit|${orgId}|${JSON.stringify(query)}`;

/**
 * The audit of an org's subtree: every entry listed belongs to an org at or
 * below the target, newest first, never one of a customer that switched
 * partner access off unless the caller is one of its own (the leak check
 * covers orgs out of sight).
 */
export const listAudit: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { orgId: pickOrgId(ctx, pick) }, query: pickAuditQuery(pick), walk: pick.chance(30) }),
  cursorBinding: (call) => auditBinding(call.params.orgId as string, call.query),
  historical: true,
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const orgId = call.params.orgId as string;
    return {
      statuses: [200],
      accept: async (response, tools) => {
        // An org's audit only grows (a root's holds every change of the world): a long walk is checked as far as it went.
        const walked = await walkPages(response, tools, auditBinding(orgId, call.query), call.walk === true, true);
        let previous = '\uffff';
        for (const entry of walked.items) {
          const at = String(entry.at);
          if (at > previous) mismatch(`audit entries are not newest first: ${at} after ${previous}`);
          previous = at;
          const entryOrg = String(entry.orgId);
          if (!model.isAncestorOrSelf(orgId, entryOrg) && model.orgs.has(entryOrg))
            mismatch(`the audit of ${orgId} lists an entry of ${entryOrg}`);
          const org: ModelOrg | undefined = model.org(entryOrg);
          if (org && entryOrg !== orgId && model.access(principal, entryOrg, 'audit:read') === 'restricted') {
            mismatch(`the audit of ${orgId} shows ${entryOrg}, whose partner access is off`);
          }
          if (call.query.action !== undefined && entry.action !== call.query.action)
            mismatch(`filtered on ${String(call.query.action)}, got ${String(entry.action)}`);
        }
      },
    };
  },
};

/** Nobody edits the table behind the API's back here: every chain verifies. */
export const verifyAudit: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({ params: { orgId: pickOrgId(ctx, pick) } }),
  allowed: (_ctx, call) => ({
    statuses: [200],
    accept: (response) => expectFields('the verification', response.json, { orgId: call.params.orgId, verified: true, firstBreak: null }),
  }),
};
