import type { Model } from './model/model.ts';
import { nameKey } from './model/rules.ts';
import { mismatch, stableJson } from './spec.ts';
import { itemsOf, type RawItem, scanTable } from './support/table.ts';

const diff = (what: string, actual: readonly string[], expected: readonly string[]): void => {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  if (missing.length > 0 || extra.length > 0) {
    mismatch(
      `the table's ${what} disagree with the model:\n  missing ${missing.join('\n          ')}\n  extra   ${extra.join('\n          ')}`,
    );
  }
};

/**
 * The whole table against the model, item by item: so nothing a refused call
 * wrote, and nothing a successful one forgot, can hide behind answers that
 * happen to look right. Orgs (with every key derived from the path), sibling
 * names, child counts, memberships, users; no half-done move or idempotency lock.
 */
export const expectStoreMatchesModel = async (model: Model): Promise<void> => {
  const items = await scanTable();
  const orgLine = (o: Record<string, unknown>) =>
    stableJson({
      id: o.orgId,
      kind: o.kind,
      name: o.name,
      status: o.status,
      parentId: o.parentId,
      path: o.path,
      pathKey: o.pathKey,
      treeId: o.treeId,
      depth: o.depth,
      childCount: o.childCount,
      version: o.version,
      customerType: o.customerType ?? null,
      subscription: o.subscriptionState ?? null,
      moveId: o.moveId ?? null,
    });
  diff(
    'orgs',
    itemsOf(items, 'org').map(orgLine),
    [...model.orgs.values()].map((org) => {
      const lineage = model.lineage(org.id);
      return orgLine({
        orgId: org.id,
        kind: org.kind,
        name: org.name,
        status: org.status,
        parentId: org.parentId ?? '',
        path: model.pathOf(org.id),
        pathKey: `${model.pathOf(org.id)}/`,
        treeId: lineage[1] ?? 'root',
        depth: lineage.length,
        childCount: model.children(org.id).length,
        version: org.version,
        customerType: org.customerType,
        subscriptionState: org.subscription,
      });
    }),
  );
  diff(
    'sibling names',
    itemsOf(items, 'orgName').map((n) => `${String(n.parentId)} ${String(n.nameKey)} → ${String(n.orgId)}`),
    [...model.orgs.values()].filter((org) => org.parentId !== null).map((org) => `${org.parentId} ${nameKey(org.name)} → ${org.id}`),
  );
  const memberLine = (m: Record<string, unknown>) => stableJson([m.userId, m.orgId, m.email, m.role, m.builtIn, m.version]);
  diff(
    'memberships',
    itemsOf(items, 'membership').map(memberLine),
    [...model.memberships.values()].map((m) => memberLine({ ...m })),
  );
  diff(
    'users',
    itemsOf(items, 'userEmail').map((u) => `${String(u.email)} → ${String(u.userId)}`),
    [...model.userIdByEmail].map(([email, userId]) => `${email} → ${userId}`),
  );
  expectServicesMatch(items, model);
  const stuck = itemsOf(items, 'idempotency').filter((record) => record.state !== 'completed');
  if (stuck.length > 0) mismatch(`idempotency locks left behind: ${stuck.map((r) => String(r.pk)).join(', ')}`);
  const moves = itemsOf(items, 'moveJob');
  if (moves.length > 0) mismatch(`move jobs left behind: ${moves.map((m) => String(m.moveId)).join(', ')}`);
};

const setOf = (value: unknown): string[] => (value instanceof Set ? [...value] : Array.isArray(value) ? value : []).map(String);

/**
 * Services, their accounts, the links written into the account orgs and the
 * assignments, against the model: every account's link item names the link its
 * org holds, and every assignment item was made under its account's current link.
 */
const expectServicesMatch = (items: readonly RawItem[], model: Model): void => {
  diff(
    'services',
    itemsOf(items, 'serviceRelationship').map((s) =>
      stableJson([s.serviceId, s.ownerOrgId, s.providerOrgId, s.name, s.role, s.status, s.version]),
    ),
    [...model.services.values()].map((s) => stableJson([s.id, s.ownerOrgId, s.providerOrgId, s.name, s.role, s.status, s.version])),
  );
  const links = itemsOf(items, 'serviceAccount');
  diff(
    'service accounts',
    links.map((link) => `${String(link.serviceId)} ${String(link.accountId)} ${String(link.status)}`),
    [...model.services.values()].flatMap((s) => [...s.accounts].map((accountId) => `${s.id} ${accountId} linked`)),
  );
  const linkIdOf = new Map(links.map((link) => [`${String(link.serviceId)} ${String(link.accountId)}`, String(link.linkId)]));
  diff(
    'service links on orgs',
    itemsOf(items, 'org').flatMap((org) => setOf(org.serviceLinks).map((link) => `${String(org.orgId)} ${link}`)),
    links.flatMap((link) =>
      model.orgs.has(String(link.accountId)) ? [`${String(link.accountId)} ${String(link.serviceId)}:${String(link.linkId)}`] : [],
    ),
  );
  diff(
    'service assignments',
    itemsOf(items, 'serviceAssignment').map((a) =>
      stableJson([
        a.serviceId,
        a.accountId,
        a.userId,
        a.email,
        a.role,
        a.linkId === linkIdOf.get(`${String(a.serviceId)} ${String(a.accountId)}`),
      ]),
    ),
    [...model.assignments.values()].map((a) =>
      stableJson([a.serviceId, a.accountId, a.userId, a.email, model.services.get(a.serviceId)?.role, true]),
    ),
  );
};
