import type { Model } from './model/model.ts';
import { nameKey } from './model/rules.ts';
import { mismatch, stableJson } from './spec.ts';
import { itemsOf, type RawItem } from './support/table.ts';

const diff = (what: string, actual: readonly string[], expected: readonly string[]): void => {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  if (missing.length > 0 || extra.length > 0) {
    mismatch(
      `the table's ${what} disagree with the model:\n  missing ${missing.join('\n          ')}\n  extra   ${extra.join('\n          ')}`,
    );
  }
};

const line = (...values: unknown[]) => stableJson(values.map((value) => value ?? null));

/**
 * The client portal's items against the model: requester grants, portal
 * roles, tickets and comments, projects, assets (mapped requesters), documents
 * and their share items, quotes, and every counter of the summary items and
 * per-partner share counts, which must equal what the model's items add up to.
 */
export const expectPortalStoreMatchesModel = (items: readonly RawItem[], model: Model): void => {
  const { portal } = model;
  diff(
    'requester grants',
    itemsOf(items, 'requester').map((r) => line(r.userId, r.customerId, r.email, r.portalRole, r.permissions, r.version)),
    [...portal.requesters.values()].map((r) => line(r.userId, r.customerId, r.email, r.portalRole, r.permissions, r.version)),
  );
  diff(
    'portal roles',
    itemsOf(items, 'portalRole').map((r) => line(r.partnerId, r.nameKey, r.name, r.permissions)),
    [...portal.roles.values()].map((r) => line(r.partnerId, nameKey(r.name), r.name, r.permissions)),
  );
  diff(
    'tickets',
    itemsOf(items, 'ticket').map((t) =>
      line(t.ticketId, t.customerId, t.title, t.description, t.priority, t.category, t.status, t.openedBy, t.side, t.version),
    ),
    [...portal.tickets.values()].map((t) =>
      line(t.id, t.customerId, t.title, t.description, t.priority, t.category, t.status, t.openedBy, t.side, t.version),
    ),
  );
  diff(
    'ticket comments',
    itemsOf(items, 'ticketComment').map((c) => line(c.commentId, c.ticketId, c.text, c.authorId, c.side)),
    [...portal.comments.values()].map((c) => line(c.id, c.ticketId, c.text, c.authorId, c.side)),
  );
  diff(
    'projects',
    itemsOf(items, 'project').map((p) =>
      line(p.projectId, p.customerId, p.name, p.description, p.status, p.progress, p.visibleToClient, p.version),
    ),
    [...portal.projects.values()].map((p) =>
      line(p.id, p.customerId, p.name, p.description, p.status, p.progress, p.visibleToClient, p.version),
    ),
  );
  diff(
    'assets',
    itemsOf(items, 'asset').map((a) =>
      line(
        a.assetId,
        a.customerId,
        a.name,
        a.type,
        a.serialNumber,
        (a.requesterLinks as string[]).map((link) => link.split(':')[0]),
        a.version,
      ),
    ),
    [...portal.assets.values()].map((a) =>
      line(
        a.id,
        a.customerId,
        a.name,
        a.type,
        a.serialNumber,
        a.links.map((l) => l.userId),
        a.version,
      ),
    ),
  );
  diff(
    'documents',
    itemsOf(items, 'document').map((d) => line(d.docId, d.partnerId, d.title, d.category, d.content, d.sharedWith, d.version)),
    [...portal.documents.values()].map((d) => line(d.id, d.partnerId, d.title, d.category, d.content, d.sharedWith, d.version)),
  );
  diff(
    'document shares',
    itemsOf(items, 'documentShare').map((s) => line(s.customerId, s.docId, s.partnerId)),
    [...portal.shares.values()].map((s) => line(s.customerId, s.docId, s.partnerId)),
  );
  diff(
    'quotes',
    itemsOf(items, 'quote').map((q) =>
      line(q.quoteId, q.customerId, q.title, q.currency, q.lines, q.total, q.validUntil, q.status, q.decidedBy, q.version),
    ),
    [...portal.quotes.values()].map((q) =>
      line(q.id, q.customerId, q.title, q.currency, q.lines, q.total, q.validUntil, q.status, q.decidedBy, q.version),
    ),
  );
  const summaries = itemsOf(items, 'portalSummary');
  const customers = new Set([
    ...summaries.map((s) => s.customerId as string),
    ...[...portal.tickets.values(), ...portal.projects.values(), ...portal.assets.values(), ...portal.quotes.values()].map(
      (x) => x.customerId,
    ),
  ]);
  const counters = Object.keys(portal.counters(''));
  diff(
    'portal counters',
    [...customers].map((id) => {
      const item = summaries.find((s) => s.customerId === id) ?? {};
      return line(id, ...counters.map((counter) => (item[counter] as number | undefined) ?? 0));
    }),
    [...customers].map((id) => line(id, ...counters.map((counter) => portal.counters(id)[counter]))),
  );
  const shareCounts = itemsOf(items, 'documentShareCount');
  const pairs = new Set([
    ...shareCounts.map((c) => `${String(c.customerId)} ${String(c.partnerId)}`),
    ...[...portal.shares.values()].map((s) => `${s.customerId} ${s.partnerId}`),
  ]);
  diff(
    'document share counts',
    [...pairs].map((pair) =>
      line(pair, (shareCounts.find((c) => `${String(c.customerId)} ${String(c.partnerId)}` === pair)?.shares as number) ?? 0),
    ),
    [...pairs].map((pair) => line(pair, [...portal.shares.values()].filter((s) => `${s.customerId} ${s.partnerId}` === pair).length)),
  );
};
