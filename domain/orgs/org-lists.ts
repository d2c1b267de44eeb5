import type { AccessRequest } from '../access/authorize.ts';
import { authorizeOn } from '../access/authorize.ts';
import { decide, reaches, visibleFrom } from '../access/decide.ts';
import type { Grant } from '../access/grants.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { OrgKind, OrgStatus } from './kinds.ts';
import { resolveMoves } from './move-resolution.ts';
import { OrgEntity, type OrgItem } from './org.entity.ts';
import { OrgPath } from './org-path.ts';
import { readOrgs } from './org-store.ts';
import { nameKeyOf, type OrgView, type RestrictedOrgView, toOrgView, viewAs } from './org-view.ts';

export interface OrgListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  kind?: OrgKind | undefined;
  status?: OrgStatus | undefined;
  /** Name prefix, case-insensitive. */
  q?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const defaultLimit = 25;

/** Listed orgs as the caller may see each: customers that switched partner access off show their restricted summary from above. */
const asSeenBy =
  (grants: readonly Grant[]) =>
  (item: OrgItem): OrgView | RestrictedOrgView =>
    item.partnerAccess === false ? viewAs(item, decide(grants, item, 'org:read')) : toOrgView(item);

/**
 * Orgs below the listed one are shown only where one of the caller's grants
 * reaches them: a service assignment on a channel shows the channel, not the
 * partners under it (those its other grants reach excepted).
 */
const inSight = (grants: readonly Grant[]) => {
  const now = Date.now();
  return (item: OrgItem): boolean => grants.some((grant) => reaches(grant, item, now));
};

/** Every generated id starts so; a subtree prefix query on `<path>/org_` leaves the org itself out. */
const idStart = 'org_';

/** Root descendants walk channel partitions; this bounds the partitions one page may visit. */
const maxChannelsPerPage = 8;

const bindingOf = (list: string, orgId: string, query: OrgListQuery) =>
  JSON.stringify([list, orgId, query.kind ?? null, query.status ?? null, query.q ? nameKeyOf(query.q) : null]);

type Filterable = { kind: OrgKind; status: OrgStatus; nameKey: string };
const matches = (query: OrgListQuery) => (item: Filterable) =>
  (!query.kind || item.kind === query.kind) &&
  (!query.status || item.status === query.status) &&
  (!query.q || item.nameKey.startsWith(nameKeyOf(query.q)));

/**
 * Direct children, sorted by kind then name, those in the caller's sight
 * (`inSight`). One Query per page, read in parallel with the authorization
 * reads and returned only once allowed. A
 * kind (and name prefix with it) narrows the key condition; other filters are
 * applied to the page, which may then hold fewer than `limit` items.
 */
export const listChildOrgs = async (
  access: AccessRequest,
  orgId: string,
  query: OrgListQuery,
): Promise<Page<OrgView | RestrictedOrgView>> => {
  const binding = bindingOf('children', orgId, query);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const limit = query.limit ?? defaultLimit;
  const prefix = query.q ? nameKeyOf(query.q) : undefined;
  const base = query.kind
    ? OrgEntity.query.children({ parentId: orgId, kind: query.kind }).begins({ nameKey: prefix ?? '' })
    : OrgEntity.query.children({ parentId: orgId });
  const filtered =
    query.status || (prefix && !query.kind)
      ? base.where((attr, { eq, begins }) =>
          [query.status ? eq(attr.status, query.status) : '', prefix && !query.kind ? begins(attr.nameKey, prefix) : '']
            .filter(Boolean)
            .join(' AND '),
        )
      : base;
  const [{ grants }, page] = await Promise.all([authorizeOn(access, orgId), filtered.go({ cursor: state?.k ?? null, limit })]);
  return {
    items: (await resolveMoves(page.data)).filter(inSight(grants)).map(asSeenBy(grants)),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};

const subtreePage = async (treeId: string, pathKey: string, query: OrgListQuery, cursor: string | null, limit: number) => {
  const page = await OrgEntity.query
    .subtree({ treeId })
    .begins({ pathKey: `${pathKey}${idStart}` })
    .go({ cursor, limit });
  // Orgs a committed multi-step move has carried elsewhere are no longer part of this subtree.
  const items = (await resolveMoves(page.data)).filter((item) => item.pathKey.startsWith(pathKey) && matches(query)(item));
  return { items, cursor: page.cursor };
};

interface RootWalk {
  /** The channel partition being read, its inner cursor, and where the channel list stands. */
  ch: string | null;
  k: string | null;
  c: string | null;
}

const nextChannel = async (rootId: string, channelsCursor: string | null) => {
  const page = await OrgEntity.query.children({ parentId: rootId, kind: 'channel' }).go({ cursor: channelsCursor, limit: 1 });
  return { channel: page.data[0] ?? null, cursor: page.cursor };
};

/** The root's subtree spans every channel partition: walk them in name order, resuming from the cursor. */
const rootDescendants = async (root: OrgItem, query: OrgListQuery, start: RootWalk | null, limit: number) => {
  const items: OrgItem[] = [];
  let walk: RootWalk = start ?? { ch: null, k: null, c: null };
  for (let visited = 0; visited < maxChannelsPerPage && items.length < limit; visited++) {
    if (!walk.ch) {
      const next = await nextChannel(root.orgId, walk.c);
      if (!next.channel) return { items, walk: null };
      walk = { ch: next.channel.orgId, k: null, c: next.cursor };
    }
    const page = await subtreePage(walk.ch as string, root.pathKey, query, walk.k, limit - items.length);
    items.push(...page.items);
    if (page.cursor) {
      walk = { ...walk, k: page.cursor };
      continue;
    }
    // This channel is done; with no cursor left on the channel list it was the last one.
    if (walk.c === null) return { items, walk: null };
    walk = { ch: null, k: null, c: walk.c };
  }
  return { items, walk };
};

/**
 * The whole subtree below an org in the caller's sight (`inSight`), in path
 * order, filtered by kind, status or name prefix. One Query on the org's channel partition per page after the
 * authorization round trip; the root's subtree walks the channel partitions.
 */
export const listDescendantOrgs = async (
  access: AccessRequest,
  orgId: string,
  query: OrgListQuery,
): Promise<Page<OrgView | RestrictedOrgView>> => {
  const binding = bindingOf('descendants', orgId, query);
  const limit = query.limit ?? defaultLimit;
  const { org, grants } = await authorizeOn(access, orgId);
  if (org.kind === 'platform') {
    const start = query.cursor ? decodeCursor<RootWalk>(query.cursor, binding) : null;
    const { items, walk } = await rootDescendants(org, query, start, limit);
    return { items: items.filter(inSight(grants)).map(asSeenBy(grants)), nextCursor: walk ? encodeCursor(walk, binding) : null };
  }
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const page = await subtreePage(org.treeId, org.pathKey, query, state?.k ?? null, limit);
  return {
    items: page.items.filter(inSight(grants)).map(asSeenBy(grants)),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};

export interface BreadcrumbItem {
  id: string;
  name: string;
  kind: OrgKind;
}

/** From the caller's highest visible org down to this one: the path, then one BatchGet for the names. */
export const listAncestorOrgs = async (access: AccessRequest, orgId: string): Promise<BreadcrumbItem[]> => {
  const { org, grants } = await authorizeOn(access, orgId);
  const ids = visibleFrom(grants, org);
  const above = ids.filter((id) => id !== orgId);
  const orgs = await readOrgs(above);
  orgs.set(orgId, org);
  return ids.flatMap((id) => {
    const item = orgs.get(id);
    return item ? [{ id, name: item.name, kind: item.kind }] : [];
  });
};

export { OrgPath };
