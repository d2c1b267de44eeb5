import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntryItem } from '#domain/audit/audit-entry.entity';
import { type EntryDraft, genesisHash, linkAfter } from '#domain/audit/chain';
import { entryIdOf } from '#domain/audit/record-change';
import { checkLink } from '#domain/audit/verify-chain';

const draft = (n: number): EntryDraft => ({
  entryId: `aud_${n}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actor: 'usr_u1',
  impersonator: null,
  impersonationId: null,
  actingRole: null,
  apiKeyId: null,
  requestId: `r${n}`,
  sourceIp: null,
  orgId: 'org_c1',
  orgPath: '/org_root/org_c1',
  action: 'org.renamed',
  targetType: 'org',
  targetId: 'org_c1',
  changes: { name: { before: `n${n - 1}`, after: `n${n}` } },
});

/** A chain of `length` links as the table would hold them (own copies). */
const chainOf = (length: number): AuditEntryItem[] => {
  const items: AuditEntryItem[] = [];
  let previous: { seq: number; hash: string; at: string } | null = null;
  for (let n = 1; n <= length; n++) {
    const link = linkAfter(draft(n), previous);
    previous = { seq: link.seq, hash: link.hash, at: link.at };
    const { impersonator, impersonationId, actingRole, apiKeyId, sourceIp, prevAt, ...rest } = link;
    items.push({ ...rest, auditLog: 'org_c1', chainOrg: 'org_c1', ...(prevAt ? { prevAt } : {}), expiresAt: 0 });
  }
  return items;
};

/** The first break of a whole chain, as verification walks it. */
const firstBreak = (items: AuditEntryItem[], cutoff = 0) => {
  let previous: { seq: number; hash: string } | null = null;
  for (const item of items) {
    const broken = checkLink(item, previous, cutoff);
    if (broken) return broken;
    previous = { seq: item.seq, hash: item.hash };
  }
  return null;
};

describe('the audit hash chain', () => {
  it('links each entry to the one before, from the genesis hash', () => {
    const chain = chainOf(3);
    expect(chain.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(chain[0]?.prevHash).toBe(genesisHash);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(firstBreak(chain)).toBeNull();
  });

  it('finds any edited field of any link at that link', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('actor', 'at', 'action', 'orgPath', 'targetId', 'requestId'),
        (index, field) => {
          const chain = chainOf(6);
          const target = chain[index] as AuditEntryItem;
          chain[index] = { ...target, [field]: field === 'action' ? 'org.deleted' : `${String(target[field as keyof AuditEntryItem])}x` };
          expect(firstBreak(chain)).toMatchObject({ seq: index + 1, reason: 'hash' });
        },
      ),
    );
  });

  it('finds an edited change value and a re-hashed forgery that no longer links', () => {
    const edited = chainOf(4);
    edited[2] = { ...(edited[2] as AuditEntryItem), changes: { name: { before: 'n2', after: 'forged' } } };
    expect(firstBreak(edited)).toMatchObject({ seq: 3, reason: 'hash' });

    const forged = chainOf(4);
    const replaced = linkAfter({ ...draft(3), actor: 'usr_evil' }, { seq: 2, hash: 'f'.repeat(64), at: draft(2).at });
    forged[2] = { ...(forged[2] as AuditEntryItem), actor: replaced.actor, prevHash: replaced.prevHash, hash: replaced.hash };
    expect(firstBreak(forged)).toMatchObject({ seq: 3, reason: 'link' });
  });

  it('finds a removed link, and tells an expired start from a removed one', () => {
    const chain = chainOf(5);
    expect(firstBreak([...chain.slice(0, 2), ...chain.slice(3)])).toMatchObject({ seq: 4, reason: 'missing' });
    const tail = chain.slice(2);
    const beforeThird = Date.parse(chain[1]?.at ?? '');
    expect(firstBreak(tail, beforeThird + 1)).toBeNull();
    expect(firstBreak(tail, beforeThird - 1)).toMatchObject({ seq: 3, reason: 'missing' });
  });

  it('derives entry ids from the stream record: the same record, the same id; sortable by time', () => {
    const at = '2026-03-01T10:00:00.000Z';
    expect(entryIdOf('e1', at)).toBe(entryIdOf('e1', at));
    expect(entryIdOf('e1', at)).not.toBe(entryIdOf('e2', at));
    expect(entryIdOf('e9', '2026-03-01T10:00:00.001Z') > entryIdOf('e1', at)).toBe(true);
    expect(entryIdOf('e1', at)).toMatch(/^aud_[0-9a-z]{20}$/);
  });
});
