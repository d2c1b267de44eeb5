import { createHash } from 'node:crypto';
import { stableJson } from '../shared/stable-json.ts';
import type { AuditAction } from './actions.ts';

/** What an entry says, before it takes its place in a chain. */
export interface EntryDraft {
  entryId: string;
  at: string;
  actor: string;
  impersonator: string | null;
  impersonationId: string | null;
  actingRole: string | null;
  apiKeyId: string | null;
  requestId: string;
  sourceIp: string | null;
  orgId: string;
  orgPath: string;
  action: AuditAction;
  targetType: string;
  targetId: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

/** A draft placed in its org's chain: its position, the link to the one before, and its own hash. */
export interface ChainLink extends EntryDraft {
  seq: number;
  prevHash: string;
  /** When the previous link was written: lets verification tell an expired predecessor from a removed one. */
  prevAt: string | null;
  hash: string;
}

/** The first link's predecessor. */
export const genesisHash = '0'.repeat(64);

/** The fields a link's hash covers: everything it says, its position and its predecessor's hash. */
const hashedContent = (link: Omit<ChainLink, 'hash'>) => ({
  entryId: link.entryId,
  at: link.at,
  actor: link.actor,
  impersonator: link.impersonator,
  impersonationId: link.impersonationId,
  actingRole: link.actingRole,
  apiKeyId: link.apiKeyId,
  requestId: link.requestId,
  sourceIp: link.sourceIp,
  orgId: link.orgId,
  orgPath: link.orgPath,
  action: link.action,
  targetType: link.targetType,
  targetId: link.targetId,
  changes: link.changes,
  seq: link.seq,
  prevHash: link.prevHash,
  prevAt: link.prevAt,
});

/** SHA-256 over the canonical JSON of the link (keys sorted), hex. */
export const linkHash = (link: Omit<ChainLink, 'hash'>): string =>
  createHash('sha256')
    .update(stableJson(hashedContent(link)))
    .digest('hex');

export const linkAfter = (draft: EntryDraft, previous: { seq: number; hash: string; at: string } | null): ChainLink => {
  const unhashed = {
    ...draft,
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? genesisHash,
    prevAt: previous?.at ?? null,
  };
  return { ...unhashed, hash: linkHash(unhashed) };
};
