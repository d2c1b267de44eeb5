import { createHash } from 'node:crypto';
import type { Model } from './model/model.ts';
import { nameKey } from './model/rules.ts';
import { expectPortalStoreMatchesModel } from './portal-store-check.ts';
import { mismatch, stableJson } from './spec.ts';
import { expectDetailsMatchModel } from './store-check-business.ts';
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
 * names, child counts, memberships, external admins, API keys, users,
 * impersonation sessions and where each is listed; no half-done move or
 * idempotency lock.
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
  const externalLine = (g: Record<string, unknown>) => stableJson([g.userId, g.orgId, g.email, g.role, g.expiresAt, g.version]);
  diff(
    'external admins',
    itemsOf(items, 'externalAdmin').map(externalLine),
    [...model.externalAdmins.values()].map((g) => externalLine({ ...g })),
  );
  diff(
    'users',
    itemsOf(items, 'userEmail').map((u) => `${String(u.email)} → ${String(u.userId)}`),
    [...model.userIdByEmail].map(([email, userId]) => `${email} → ${userId}`),
  );
  const keyLine = (k: Record<string, unknown>) => stableJson([k.keyId, k.orgId, k.name, k.role, k.validUntil ?? null, k.version]);
  diff(
    'API keys',
    itemsOf(items, 'apiKey').map(keyLine),
    [...model.apiKeys.values()].map((k) => keyLine({ ...k, validUntil: k.expiresAt })),
  );
  // Only a key's hash is kept: no item anywhere (stored Idempotency-Key replies included) holds a secret in clear.
  for (const apiKey of itemsOf(items, 'apiKey')) {
    const secret = model.keySecrets.get(String(apiKey.keyId)) ?? '';
    if (apiKey.secretHash !== createHash('sha256').update(secret).digest('hex'))
      mismatch(`key ${String(apiKey.keyId)}: its hash is not its secret's`);
  }
  const everything = JSON.stringify(items);
  const inClear = [...model.keySecrets].filter(([, secret]) => everything.includes(secret.split('.')[1] ?? secret));
  if (inClear.length > 0) mismatch(`the table holds the secrets of ${inClear.map(([keyId]) => keyId).join(', ')} in clear`);
  const sessionLine = (session: Record<string, unknown>) =>
    stableJson([
      session.id,
      session.customerId,
      session.impersonatorId,
      session.impersonatorEmail,
      session.reason,
      session.ticket ?? null,
      session.startedAt,
      session.endsAt,
      session.endReason ?? null,
      session.version,
    ]);
  diff(
    'impersonation sessions',
    itemsOf(items, 'impersonation').map((item) => sessionLine({ ...item, id: item.impersonationId })),
    [...model.sessions.values()].map((session) => sessionLine({ ...session })),
  );
  // An end the model timed itself (a replacement) must be that time; others only have to be there.
  for (const item of itemsOf(items, 'impersonation')) {
    const session = model.sessions.get(String(item.impersonationId));
    const endedAt = item.endedAt ?? null;
    if (session && (session.endedAt === null ? endedAt !== null : session.endedAt !== 'unknown' && endedAt !== session.endedAt)) {
      mismatch(`session ${session.id} ended at ${String(endedAt)}, the model says ${String(session.endedAt)}`);
    }
  }
  diff(
    'session list entries',
    itemsOf(items, 'impersonationListing').map(
      (entry) => `${String(entry.listedAt)} ${String(entry.impersonationId)} ${String(entry.customerId)}`,
    ),
    [...model.sessions.values()].flatMap((session) => session.listedUnder.map((orgId) => `${orgId} ${session.id} ${session.customerId}`)),
  );
  expectServicesMatch(items, model);
  expectBillingMatchesModel(items, model);
  const stuck = itemsOf(items, 'idempotency').filter((record) => record.state !== 'completed');
  if (stuck.length > 0) mismatch(`idempotency locks left behind: ${stuck.map((r) => String(r.pk)).join(', ')}`);
  const moves = itemsOf(items, 'moveJob');
  if (moves.length > 0) mismatch(`move jobs left behind: ${moves.map((m) => String(m.moveId)).join(', ')}`);
  expectDetailsMatchModel(items, model);
  expectPortalStoreMatchesModel(items, model);
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

/**
 * Price books, invoices with every listing copy (one per org of its ledger,
 * in the same state and version), issuers' counters and customers' billing
 * events: what the table holds against what the model expects.
 */
const expectBillingMatchesModel = (items: readonly RawItem[], model: Model): void => {
  const entryOf = (e: object) => ({ ...e, effectiveTo: (e as { effectiveTo?: unknown }).effectiveTo ?? null });
  diff(
    'price books',
    itemsOf(items, 'priceBook').map((b) =>
      stableJson([b.partnerId, b.version, ((b.entries ?? []) as Record<string, unknown>[]).map(entryOf)]),
    ),
    [...model.priceBooks].map(([partnerId, book]) => stableJson([partnerId, book.version, book.entries.map(entryOf)])),
  );
  const invoiceLine = (i: Record<string, unknown>) =>
    stableJson([i.invoiceId, i.customerId, i.issuerId, i.status, i.number ?? null, i.version, i.total, i.invoiceDate]);
  diff(
    'invoices',
    itemsOf(items, 'invoice').map(invoiceLine),
    [...model.invoices.values()].map((i) => invoiceLine({ ...i, invoiceId: i.id })),
  );
  diff(
    'invoice listings',
    itemsOf(items, 'invoiceListing').map((l) => `${String(l.ledgerId)} ${invoiceLine(l)}`),
    [...model.invoices.values()].flatMap((i) => i.ledgerIds.map((ledgerId) => `${ledgerId} ${invoiceLine({ ...i, invoiceId: i.id })}`)),
  );
  diff(
    'invoice counters',
    itemsOf(items, 'invoiceCounter').map((c) => `${String(c.issuerId)} ${String(c.lastNumber)}`),
    [...model.invoiceCounters].map(([issuerId, last]) => `${issuerId} ${last}`),
  );
  const eventLine = (customerId: unknown, type: unknown, invoiceId: unknown, from: unknown, to: unknown) =>
    [customerId, type, invoiceId ?? '-', from ?? '-', to ?? '-'].map(String).join(' ');
  const events = itemsOf(items, 'billingEvent').map((e) => eventLine(e.customerId, e.type, e.invoiceId, e.fromState, e.toState));
  const expectedEvents = [...model.billingEvents].flatMap(([customerId, list]) =>
    list.map((e) => eventLine(customerId, e.type, e.invoiceId, e.from, e.to)),
  );
  diff('billing events', events, expectedEvents);
  // The same event twice (a subscription going back and forth) counts twice.
  if (events.length !== expectedEvents.length)
    mismatch(`the table holds ${events.length} billing events, the model ${expectedEvents.length}`);
};
