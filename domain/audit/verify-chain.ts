import { setTimeout as sleep } from 'node:timers/promises';
import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { AuditEntryEntity, type AuditEntryItem, AuditHeadEntity, type AuditHeadItem } from './audit-entry.entity.ts';
import { type ChainLink, genesisHash, linkHash } from './chain.ts';
import { auditRetentionDays } from './retention.ts';

export interface ChainBreak {
  /** The chain position where verification failed. */
  seq: number;
  entryId: string | null;
  /** `hash`: the entry's content no longer matches its hash; `link`: it does not point at its predecessor; `missing`: links are gone; `head`: the chain ends before its recorded head. */
  reason: 'hash' | 'link' | 'missing' | 'head';
  detail: string;
}

export interface ChainVerification {
  orgId: string;
  verified: boolean;
  entriesChecked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  headSeq: number | null;
  firstBreak: ChainBreak | null;
  /** Set when the chain is longer than one call checks: pass it back to go on from there. */
  nextCursor: string | null;
}

/** Links checked per call; a longer chain is verified in several calls that carry the last link in the cursor. */
const maxLinksPerCall = 5000;
const pageSize = 500;

interface Previous {
  seq: number;
  hash: string;
}

const linkOf = (item: AuditEntryItem): Omit<ChainLink, 'hash'> => ({
  entryId: item.entryId,
  at: item.at,
  actor: item.actor,
  impersonator: item.impersonator ?? null,
  impersonationId: item.impersonationId ?? null,
  actingRole: item.actingRole ?? null,
  apiKeyId: item.apiKeyId ?? null,
  requestId: item.requestId,
  sourceIp: item.sourceIp ?? null,
  orgId: item.orgId,
  orgPath: item.orgPath,
  action: item.action,
  targetType: item.targetType,
  targetId: item.targetId,
  changes: item.changes as ChainLink['changes'],
  seq: item.seq,
  prevHash: item.prevHash,
  prevAt: item.prevAt ?? null,
});

/** Entries older than this may have been removed by the TTL sweeper: a chain may begin after them. */
const expiryCutoff = (): number => Date.now() - auditRetentionDays() * 24 * 60 * 60 * 1000;

/** The first thing wrong with one link, given the link before it (null at the start of what is left of the chain). */
export const checkLink = (item: AuditEntryItem, previous: Previous | null, cutoff: number): ChainBreak | null => {
  const at = (reason: ChainBreak['reason'], detail: string): ChainBreak => ({ seq: item.seq, entryId: item.entryId, reason, detail });
  if (linkHash(linkOf(item)) !== item.hash) return at('hash', 'the entry no longer matches its hash: it was changed after it was written');
  if (previous) {
    if (item.seq !== previous.seq + 1) return at('missing', `links ${previous.seq + 1}–${item.seq - 1} are missing`);
    if (item.prevHash !== previous.hash) return at('link', `the entry does not point at link ${previous.seq}`);
    return null;
  }
  if (item.seq === 1) return item.prevHash === genesisHash ? null : at('link', 'the first link does not start from the genesis hash');
  // The chain's start is gone: fine only if what preceded it is old enough to have expired.
  const expired = item.prevAt !== undefined && Date.parse(item.prevAt) < cutoff;
  return expired ? null : at('missing', `links before ${item.seq} are missing and were not old enough to expire`);
};

const readLinks = async (orgId: string, after: number, limit: number): Promise<AuditEntryItem[]> => {
  const links: AuditEntryItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: AuditEntryItem[]; cursor: string | null } = await AuditEntryEntity.query
      .chain({ chainOrg: orgId })
      .gt({ seq: after })
      .go({ cursor, limit: Math.min(pageSize, limit - links.length) });
    links.push(...page.data);
    cursor = page.cursor;
  } while (cursor && links.length < limit);
  return links;
};

/** The chain index is eventually consistent: links appended a moment ago may reach it just after the head. */
const readLinksUpTo = async (orgId: string, after: number, head: AuditHeadItem | null): Promise<AuditEntryItem[]> => {
  for (let attempt = 0; ; attempt++) {
    const links = await readLinks(orgId, after, maxLinksPerCall + 1);
    const last = links.at(-1)?.seq ?? after;
    if (!head || last >= head.seq || links.length > maxLinksPerCall || attempt >= 3) return links;
    await sleep(100 * (attempt + 1));
  }
};

/**
 * Recomputes an org's hash chain from its first remaining link to its head
 * and reports the first break: an entry edited after it was written, a link
 * removed (other than by expiry at the start), or a chain cut short of its head.
 */
export const verifyAuditChain = async (
  access: AccessRequest,
  orgId: string,
  query: { cursor?: string | undefined },
): Promise<ChainVerification> => {
  const binding = JSON.stringify(['audit-verify', orgId]);
  const resumed = query.cursor ? decodeCursor<Previous>(query.cursor, binding) : null;
  const [, headRead] = await Promise.all([authorizeOn(access, orgId), AuditHeadEntity.get({ auditHead: orgId }).go({ consistent: true })]);
  const head = headRead.data;
  const links = await readLinksUpTo(orgId, resumed?.seq ?? 0, head);
  const checked = links.slice(0, maxLinksPerCall);
  const cutoff = expiryCutoff();
  const result = (firstBreak: ChainBreak | null, previous: Previous | null, more: boolean): ChainVerification => ({
    orgId,
    verified: firstBreak === null,
    entriesChecked: checked.length,
    firstSeq: checked[0]?.seq ?? null,
    lastSeq: previous?.seq ?? null,
    headSeq: head?.seq ?? null,
    firstBreak,
    nextCursor: more && previous && !firstBreak ? encodeCursor(previous, binding) : null,
  });
  let previous: Previous | null = resumed;
  for (const item of checked) {
    const broken = checkLink(item, previous, cutoff);
    if (broken) return result(broken, previous, false);
    previous = { seq: item.seq, hash: item.hash };
  }
  if (links.length > maxLinksPerCall) return result(null, previous, true);
  if (head) {
    const last = previous?.seq ?? 0;
    // Links appended after the head was read extend the chain: only a head beyond the last link, or one that disagrees with its link, is a break.
    const atHead = checked.find((link) => link.seq === head.seq);
    const expiredAll = !previous && Date.parse(head.at) < cutoff;
    if (head.seq > last && !expiredAll) {
      const detail = `the chain ends at link ${last} but its head records link ${head.seq}`;
      return result({ seq: head.seq, entryId: head.entryId, reason: 'head', detail }, previous, false);
    }
    if (atHead && atHead.hash !== head.hash) {
      const detail = `link ${head.seq} does not match the hash its head records`;
      return result({ seq: head.seq, entryId: head.entryId, reason: 'head', detail }, previous, false);
    }
  }
  return result(null, previous, false);
};
