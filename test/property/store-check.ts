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
  expectBillingMatchesModel(items, model);
  const stuck = itemsOf(items, 'idempotency').filter((record) => record.state !== 'completed');
  if (stuck.length > 0) mismatch(`idempotency locks left behind: ${stuck.map((r) => String(r.pk)).join(', ')}`);
  const moves = itemsOf(items, 'moveJob');
  if (moves.length > 0) mismatch(`move jobs left behind: ${moves.map((m) => String(m.moveId)).join(', ')}`);
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
