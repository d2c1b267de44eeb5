import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntryEntity, type AuditEntryItem } from '#domain/audit/audit-entry.entity';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';

/**
 * The real audit consumer behind the local stream poller, over this test
 * file's own table, as `npm start` runs it: changes made through the domain
 * become audit entries once `drained()` resolves. Stop it in `afterAll`.
 */
export interface AuditStream {
  poller: StreamPoller;
  /** Where records the consumer gave up on are written. */
  deadLetterDir: string;
  /** The poller's log lines ("gave up …" among them). */
  logLines: string[];
  /** Waits until every change so far has been handed to the consumer, then lists an org's audit log (newest first). */
  entriesOf: (orgId: string) => Promise<AuditEntryItem[]>;
}

export const startAuditStream = async (): Promise<AuditStream> => {
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
  const tableName = process.env.TABLE_NAME ?? '';
  const { streamArn } = await createTable({ endpoint, tableName });
  const deadLetterDir = await mkdtemp(join(tmpdir(), 'audit-stream-test-'));
  const logLines: string[] = [];
  const poller = await startStreamPoller({
    endpoint,
    tableName,
    streamArn,
    lambda: createLambdaRuntime(),
    log: (line) => logLines.push(line),
    deadLetterDir,
    retryDelayMs: 5,
  });
  const entriesOf = async (orgId: string) => {
    await poller.drained();
    const entries: AuditEntryItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: AuditEntryItem[]; cursor: string | null } = await AuditEntryEntity.query
        .byLog({ auditLog: orgId })
        .go({ order: 'desc', cursor });
      entries.push(...page.data);
      cursor = page.cursor;
    } while (cursor);
    return entries;
  };
  return { poller, deadLetterDir, logLines, entriesOf };
};
