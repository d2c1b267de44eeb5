import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { UserEmailEntity, UserEntity } from '#domain/access/user.entity';
import { appendEntry } from '#domain/audit/append';
import { AuditEntryEntity, AuditHeadEntity, auditKeyPrefix } from '#domain/audit/audit-entry.entity';
import type { EntryDraft } from '#domain/audit/chain';
import { db } from '#domain/db/service';
import { tableDefinition } from '#domain/db/table-definition';
import { TombstoneEntity } from '#domain/db/tombstone.entity';
import { IdempotencyEntity } from '#domain/idempotency/idempotency.entity';
import { MoveJobEntity } from '#domain/orgs/move-job.entity';
import { OrgEntity, OrgNameEntity } from '#domain/orgs/org.entity';
import { auditKeyPattern, writesAnyAuditItem, writesOnlyAuditItems } from '#infra/constructs/audit-key-conditions';
import { wildcardMatches } from '#infra/local/iam-wildcard';

/*
 * The IAM conditions that reserve audit items (infra/constructs/audit-key-conditions.ts)
 * checked against the keys ElectroDB really writes: a pattern that misses
 * them would lock the audit consumer out, one that catches other keys would
 * deny the route groups their own writes.
 */

const ddb = mockClient(DynamoDBDocumentClient);

/** StringLike as IAM evaluates it: case-sensitive, `*` and `?` wildcards. */
const isAuditKey = (pk: string): boolean => wildcardMatches(auditKeyPattern, pk);

const at = '2026-01-01T00:00:00.000Z';
const entryOf = (auditLog: string) =>
  AuditEntryEntity.create({
    auditLog,
    entryId: 'aud_1',
    at,
    actor: 'usr_1',
    requestId: 'req_1',
    orgId: 'org_p1',
    orgPath: '/org_root/org_ch/org_p1',
    action: 'org.renamed',
    targetType: 'org',
    targetId: 'org_p1',
    changes: { name: { before: 'a', after: 'b' } },
    seq: 1,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    chainOrg: auditLog,
    expiresAt: 1_800_000_000,
  }).params().Item;
const headOf = (auditHead: string) => AuditHeadEntity.put({ auditHead, seq: 1, hash: 'f'.repeat(64), at, entryId: 'aud_1' }).params().Item;

describe('IAM conditions on audit keys', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('names the audit prefix in both conditions, with no IAM policy variable in it', () => {
    // Assess
    expect(auditKeyPrefix).toBe('$pp#audit');
    expect(auditKeyPattern).toBe('$pp#audit*');
    expect(auditKeyPattern).not.toContain('${');
    expect(writesAnyAuditItem['ForAnyValue:StringLike']['dynamodb:LeadingKeys']).toEqual([auditKeyPattern]);
    expect(writesOnlyAuditItems['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toEqual([auditKeyPattern]);
  });

  it.each(['org_p1', 'org_ROOT', 'org_a1', 'org_a10'])('matches the entry and chain-head keys of %s', (orgId) => {
    // Act
    const keys = [entryOf(orgId).pk, headOf(orgId).pk];

    // Assess: ElectroDB lowercases whole keys, so the case-sensitive pattern still holds for any id.
    expect(keys).toEqual([`$pp#auditlog_${orgId.toLowerCase()}`, `$pp#audithead_${orgId.toLowerCase()}`]);
    for (const pk of keys) expect(isAuditKey(pk), pk).toBe(true);
  });

  it('allows every write of the consumer’s real transaction: Puts of audit keys only, each conditional', async () => {
    // Prepare: a chain with a head, so the head is replaced (a Put) rather than created. The root has no
    // ancestors to fan out to: appendEntry cannot build ancestor copies today (ElectroDB wants gsi3's
    // composite on every copy), a domain fault reported with this change and left to the audit work.
    ddb.on(GetCommand).resolves({ Item: headOf('org_root') });
    ddb.on(TransactWriteCommand).resolves({});
    const draft: EntryDraft = {
      entryId: 'aud_2',
      at,
      actor: 'usr_1',
      impersonator: null,
      impersonationId: null,
      actingRole: null,
      apiKeyId: null,
      requestId: 'req_2',
      sourceIp: null,
      orgId: 'org_root',
      orgPath: '/org_root',
      action: 'org.renamed',
      targetType: 'org',
      targetId: 'org_root',
      changes: { name: { before: 'b', after: 'c' } },
    };

    // Act
    const outcome = await appendEntry(draft);

    // Assess
    expect(outcome).toBe('appended');
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    // The org's own entry and its chain head.
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(['Put']);
      expect(item.Put?.TableName).toBe('unit');
      expect(item.Put?.ConditionExpression).toEqual(expect.any(String));
      expect(isAuditKey(String(item.Put?.Item?.pk)), String(item.Put?.Item?.pk)).toBe(true);
    }
  });

  it('keeps every other entity’s keys out, whatever their values say', () => {
    // Prepare: ids and names chosen to look like audit keys.
    const keys = [
      OrgEntity.get({ orgId: 'auditlog_org_p1' }).params().Key.pk,
      OrgNameEntity.get({ parentId: 'audit', nameKey: 'auditlog' }).params().Key.pk,
      UserEntity.get({ userId: 'audithead_org_p1' }).params().Key.pk,
      UserEmailEntity.get({ email: 'audit@example.test' }).params().Key.pk,
      MembershipEntity.get({ userId: 'audit', orgId: 'org_p1' }).params().Key.pk,
      IdempotencyEntity.get({ scope: 'audit', key: 'k' }).params().Key.pk,
      MoveJobEntity.get({ moveId: 'audit' }).params().Key.pk,
      // The tombstone of an audit item, were one ever deleted: the audit key sits after the tombstone's own prefix.
      TombstoneEntity.get({ deletedPk: '$pp#auditlog_org_p1', deletedSk: 's', deletedVersion: 0 }).params().Key.pk,
    ];

    // Assess
    expect(keys.map((pk) => pk.slice(0, pk.indexOf('_') + 1))).toEqual([
      '$pp#orgid_',
      '$pp#parentid_',
      '$pp#userid_',
      '$pp#email_',
      '$pp#userid_',
      '$pp#scope_',
      '$pp#moveid_',
      '$pp#deletedpk_',
    ]);
    for (const pk of keys) expect(isAuditKey(pk), pk).toBe(false);
  });

  it.each([
    ['$pp#audi_org_p1', false],
    ['$pp#aud', false],
    ['pp#auditlog_org_p1', false],
    [' $pp#auditlog_org_p1', false],
    ['$pp2#auditlog_org_p1', false],
    ['$px#auditlog_org_p1', false],
    // Never written by ElectroDB (it lowercases keys) and so never read as an audit item; StringLike is case-sensitive.
    ['$PP#AUDITLOG_ORG_P1', false],
    // The prefix is closed at no delimiter on purpose: it reserves every attribute name starting "audit" (see domain/audit/keys.ts).
    ['$pp#audit', true],
    ['$pp#auditlogx_org_p1', true],
    ['$pp#auditorid_x', true],
  ])('treats %j as an audit key: %s', (pk, expected) => {
    // Act / Assess
    expect(isAuditKey(pk)).toBe(expected);
  });

  it('puts under the audit prefix exactly the audit entities, so no other entity is reserved by accident', () => {
    // Prepare: the primary index's partition key is `$pp#<first composite attribute, lowercased>_…`.
    const prefixes = Object.entries(db.entities).map(([name, entity]) => {
      const primary = Object.values(entity.schema.indexes).find((index) => !('index' in index) || index.index === undefined);
      const [first] = primary?.pk.composite ?? [];
      return [name, `$pp#${String(first).toLowerCase()}_`] as const;
    });

    // Assess
    const reserved = prefixes.filter(([, prefix]) => isAuditKey(prefix)).map(([name]) => name);
    expect(reserved.sort()).toEqual(['auditEntry', 'auditHead']);
  });

  it('stamps audit entries with the table’s TTL attribute, so retention works', () => {
    // Assess
    expect(tableDefinition.ttlAttribute).toBe('expiresAt');
    expect(entryOf('org_p1')[tableDefinition.ttlAttribute]).toEqual(expect.any(Number));
  });
});
