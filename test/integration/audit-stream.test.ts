import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryEntity } from '#domain/audit/audit-entry.entity';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { rootOrgId } from '#domain/shared/ids';
import { recordsOfFailure } from '#infra/local/stream-failure-record';
import type { StreamPoller } from '#infra/local/stream-poller';
import { startAuditStream } from './support/audit-stream.ts';
import { createOrg, platformAdmin } from './support/fixture.ts';

/**
 * The real audit consumer behind the local stream poller, as `npm start` runs
 * it: a change made through the domain becomes audit entries without anyone
 * calling the consumer, and a record it cannot audit ends in the dead-letter
 * folder while the rest of the stream goes on.
 */

const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
const tableName = process.env.TABLE_NAME ?? '';
let poller: StreamPoller;
let deadLetterDir: string;
let logLines: string[] = [];

beforeAll(async () => {
  ({ poller, deadLetterDir, logLines } = await startAuditStream());
});
afterAll(async () => {
  await poller?.stop();
});

describe('audit consumer behind the local stream poller', () => {
  it('records the platform bootstrap (root org and its first admin) in the root audit log', async () => {
    // Prepare
    const { adminUserId } = await bootstrapPlatform({ adminEmail: 'audit-stream@platform.test' }, systemActor('audit-stream-test'));

    // Act
    await poller.drained();

    // Assess
    const { data } = await AuditEntryEntity.query.byLog({ auditLog: rootOrgId }).go();
    expect(data.map((entry) => entry.action).sort()).toEqual(['member.added', 'org.created']);
    expect(data.find((entry) => entry.action === 'member.added')).toMatchObject({ targetId: adminUserId, orgId: rootOrgId });
    expect(data.every((entry) => entry.requestId === 'audit-stream-test')).toBe(true);
    expect(logLines.filter((line) => line.includes('gave up'))).toEqual([]);
  });

  it("records a change below the root in its org's log and fans it out to the ancestors' logs", async () => {
    // Prepare
    const admin = await platformAdmin();

    // Act
    const channel = await createOrg(admin, rootOrgId, 'channel');
    await poller.drained();

    // Assess
    const own = await AuditEntryEntity.query.byLog({ auditLog: channel.id }).go();
    const root = await AuditEntryEntity.query.byLog({ auditLog: rootOrgId }).go();
    expect(own.data.map((entry) => entry.action)).toEqual(['org.created']);
    expect(root.data.filter((entry) => entry.targetId === channel.id).map((entry) => entry.entryId)).toEqual([own.data[0]?.entryId]);
  });

  it('dead-letters a change it cannot audit (an item no API wrote) and keeps going', async () => {
    // Prepare
    const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'written-by-hand' }, sk: { S: 'x' } } }));
    client.destroy();

    // Act
    await poller.drained();

    // Assess
    const failures = await Promise.all(
      (await readdir(deadLetterDir)).filter((name) => !name.startsWith('.')).map((name) => readFile(join(deadLetterDir, name), 'utf8')),
    );
    const handWritten = failures.filter((text) =>
      recordsOfFailure(text).some((record) => record.dynamodb?.Keys?.pk?.S === 'written-by-hand'),
    );
    expect(handWritten).toHaveLength(1);
    expect(logLines.some((line) => line.includes('gave up') && line.includes(deadLetterDir))).toBe(true);
  });
});
