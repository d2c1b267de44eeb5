import { readsAsRecorded } from '../model/audit-sight.ts';
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
 * The audit of an org's subtree, newest first: every entry listed was
 * recorded at or below the target, at a path its org really held, and is of
 * an org the caller could read the audit of where it stood then (so nothing
 * below a grant that reaches one org alone, nothing of a customer that
 * switched partner access off unless the caller is one of its own; the leak
 * check covers orgs out of sight).
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
          const recordedPath = String(entry.orgPath);
          const described = `${String(entry.action)} at ${at}, recorded at ${recordedPath}`;
          if (!recordedPath.split('/').includes(orgId))
            mismatch(`the audit of ${orgId} lists an entry of ${entryOrg} not recorded under it (${described})`);
          const pathHeld = model.pathsHeld(entryOrg);
          if (pathHeld.size > 0 && !pathHeld.has(recordedPath))
            mismatch(`an entry of ${entryOrg} records a path it never had (${described})`);
          if (entryOrg !== orgId && !readsAsRecorded(model, principal, entryOrg, recordedPath, 'audit:read')) {
            mismatch(`the audit of ${orgId} shows an entry of ${entryOrg} the caller could not read where it was (${described})`);
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
