import type { ModelAsset, ModelDocument, ModelProject, ModelQuote, ModelRequester, ModelTicket } from '../model/portal.ts';
import { type Ctx, mismatch, pickOrgId } from '../spec.ts';
import type { Picker } from '../support/picker.ts';

/**
 * What the client-portal specs share: pickers that aim at customers where
 * the caller is a requester (their sight is not `model.covering`), item ids
 * that exist, are gone, are near misses or are malformed, and the model's
 * view of each portal resource as the API shows it.
 */

/** An org for a portal call: often one where the caller is a requester, often a customer, else any target an org route gets. */
export const pickPortalOrgId = (ctx: Ctx, pick: Picker): string => {
  const own = ctx.model.portal.requesterGrantsOf(ctx.principal).map((grant) => grant.customerId);
  const customers = [...ctx.model.orgs.values()].filter((org) => org.kind === 'customer').map((org) => org.id);
  const reached = customers.filter((id) => ctx.model.covering(ctx.principal, id).length > 0);
  return pick.weighted([
    [own.length > 0 ? 25 : 0, () => pick.one(own)],
    [reached.length > 0 ? 25 : 0, () => pick.one(reached)],
    [customers.length > 0 ? 20 : 0, () => pick.one(customers)],
    [30, () => pickOrgId(ctx, pick)],
  ]);
};

/** Whether the caller reaches a customer at all: as its requester, or by a platform grant. */
export const inSight = (ctx: Ctx, orgId: string): boolean =>
  ctx.model.portal.requesterAt(ctx.principal, orgId) !== undefined || ctx.model.covering(ctx.principal, orgId).length > 0;

/**
 * An item id: often one of an org in the caller's sight (so calls get past
 * authorization and change things), else any that exists, a well-formed one
 * that never did, or a malformed one.
 */
export const pickItemId = <T extends { id: string }>(
  ctx: Ctx,
  pick: Picker,
  prefix: string,
  items: Iterable<T>,
  orgOf: (item: T) => string,
): string => {
  const existing = [...items];
  const near = existing.filter((item) => inSight(ctx, orgOf(item))).map((item) => item.id);
  return pick.weighted([
    [near.length > 0 ? 45 : 0, () => pick.one(near)],
    [existing.length > 0 ? 35 : 0, () => pick.one(existing).id],
    [15, () => pick.one([`${prefix}_0`, `${prefix}_zz`, `${prefix}_a1`])],
    [5, () => pick.one([`${prefix.toUpperCase()}_1`, `${prefix}_`, 'org_a1', `${prefix}_a/b`])],
  ]);
};

export const pickText = (pick: Picker): unknown =>
  pick.weighted<unknown>([
    [94, () => pick.one(['Printer jam', 'VPN down', ' Padded  ', 'Line one\nline two', 'Ünïcödé'])],
    [6, () => pick.one(['', '   ', 'a\u0000b', 42, 'x'.repeat(20_001)])],
  ]);

export const requesterView = (r: ModelRequester) => ({
  userId: r.userId,
  email: r.email,
  customerId: r.customerId,
  portalRole: r.portalRole,
  permissions: r.permissions,
  version: r.version,
});

export const ticketView = (t: ModelTicket) => ({
  id: t.id,
  customerId: t.customerId,
  title: t.title,
  description: t.description,
  priority: t.priority,
  category: t.category,
  status: t.status,
  openedBy: t.openedBy,
  side: t.side,
  version: t.version,
});

export const projectView = (p: ModelProject) => ({
  id: p.id,
  customerId: p.customerId,
  name: p.name,
  description: p.description,
  status: p.status,
  progress: p.progress,
  visibleToClient: p.visibleToClient,
  version: p.version,
});

export const assetView = (a: ModelAsset) => ({
  id: a.id,
  customerId: a.customerId,
  name: a.name,
  type: a.type,
  serialNumber: a.serialNumber,
  requesterIds: a.links.map((link) => link.userId),
  version: a.version,
});

export const documentView = (d: ModelDocument, sharedWith: string | null) => ({
  id: d.id,
  title: d.title,
  category: d.category,
  content: d.content,
  sharedWith,
  version: d.version,
});

export const quoteView = (q: ModelQuote) => ({
  id: q.id,
  customerId: q.customerId,
  title: q.title,
  currency: q.currency,
  lines: q.lines,
  total: q.total,
  validUntil: q.validUntil,
  status: q.status,
  decidedBy: q.decidedBy,
  version: q.version,
});

/** The id a create answered with, checked for its prefix and that it is new. */
export const newIdOf = (json: unknown, prefix: string, taken: ReadonlyMap<string, unknown>): string => {
  const id = (json as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || !new RegExp(`^${prefix}_[0-9a-z]{1,40}$`).test(id))
    return mismatch(`the new ${prefix} id is ${String(id)}`);
  if (taken.has(id)) return mismatch(`a new ${prefix} reuses the id ${id}`);
  return id;
};

/** Fails unless the ETag names the model's version. */
export const expectEtag = (headers: Record<string, string>, version: number): void => {
  if (headers.etag !== `"${version}"`) mismatch(`ETag is ${headers.etag}, the model says "${version}"`);
};

/** Newest first: generated ids sort by creation. */
export const newestFirst = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
