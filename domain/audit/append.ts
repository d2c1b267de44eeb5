import { db } from '../db/service.ts';
import { OrgPath } from '../orgs/org-path.ts';
import type { AuditEntryItem } from './audit-entry.entity.ts';
import { AuditHeadEntity } from './audit-entry.entity.ts';
import { type ChainLink, type EntryDraft, linkAfter } from './chain.ts';
import { expiryOf } from './retention.ts';

/** Two consumers appending to one org's chain at once: the loser re-reads the head and tries again. */
const maxAttempts = 8;

export type AppendOutcome = 'appended' | 'duplicate';

const itemOf = (link: ChainLink, auditLog: string, own: boolean): AuditEntryItem => ({
  auditLog,
  entryId: link.entryId,
  at: link.at,
  actor: link.actor,
  ...(link.impersonator ? { impersonator: link.impersonator } : {}),
  ...(link.impersonationId ? { impersonationId: link.impersonationId } : {}),
  ...(link.actingRole ? { actingRole: link.actingRole } : {}),
  ...(link.apiKeyId ? { apiKeyId: link.apiKeyId } : {}),
  requestId: link.requestId,
  ...(link.sourceIp ? { sourceIp: link.sourceIp } : {}),
  orgId: link.orgId,
  orgPath: link.orgPath,
  action: link.action,
  targetType: link.targetType,
  targetId: link.targetId,
  changes: link.changes,
  seq: link.seq,
  prevHash: link.prevHash,
  ...(link.prevAt ? { prevAt: link.prevAt } : {}),
  hash: link.hash,
  // ElectroDB wants every composite of a conditional index on a write; an empty one keeps the copy off the chain index.
  chainOrg: own ? link.orgId : '',
  expiresAt: expiryOf(link.at),
});

/**
 * Appends an entry to its org's chain and fans copies out to the audit
 * partitions of the org's ancestors, in one transaction (at most 10 items:
 * the depth bound is 8). The org's own copy is created only if absent and
 * its key comes from the stream record, so a redelivered record writes
 * nothing new (`duplicate`); the head is replaced only if it is still the
 * one read, so concurrent appends to one chain take distinct positions.
 */
export const appendEntry = async (draft: EntryDraft): Promise<AppendOutcome> => {
  const ancestors = OrgPath.ids(draft.orgPath).filter((id) => id !== draft.orgId);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const { data: head } = await AuditHeadEntity.get({ auditHead: draft.orgId }).go({ consistent: true });
    const link = linkAfter(draft, head);
    const nextHead = { auditHead: draft.orgId, seq: link.seq, hash: link.hash, at: link.at, entryId: link.entryId };
    const outcome = await db.transaction
      .write(({ auditEntry, auditHead }) => [
        auditEntry.create(itemOf(link, draft.orgId, true)).commit(),
        head
          ? auditHead
              .put(nextHead)
              .where((attr, { eq }) => eq(attr.seq, head.seq))
              .commit()
          : auditHead.create(nextHead).commit(),
        ...ancestors.map((ancestorId) => auditEntry.create(itemOf(link, ancestorId, false)).commit()),
      ])
      .go();
    if (!outcome.canceled) return 'appended';
    const [own, headResult] = outcome.data;
    if (own?.code === 'ConditionalCheckFailed') return 'duplicate';
    const retriable = headResult?.code === 'ConditionalCheckFailed' || outcome.data.some((item) => item.code === 'TransactionConflict');
    if (!retriable) throw new Error(`Appending audit entry ${draft.entryId} failed: ${outcome.data.map((item) => item.code).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
  }
  throw new Error(`Appending audit entry ${draft.entryId} lost the race for its chain ${maxAttempts} times`);
};
