import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { scriptedStreamFunction, scriptStreamHandler } from '../../support/fixtures/scripted-stream-handler.ts';

export interface WorldAuditConsumer {
  /** Waits until every change so far is handed to the consumer, stops it, and answers the records it gave up on. */
  finish(): Promise<string[]>;
  /**
   * Stops it where it is, without waiting (a failed world's consumer must not
   * go on writing audit entries into the next world's table). Does nothing
   * once finished or stopped.
   */
  stop(): Promise<void>;
}

/**
 * The real audit consumer over one generated world: everything the world's
 * building and its calls write goes through it, as in AWS. The stream still
 * holds the previous worlds and the wipe between them (deletions no request
 * made, which the consumer rightly refuses), so it starts from a checkpoint
 * taken after the wipe: a first poller hands those records to a consumer
 * that accepts anything, and the real one resumes where it stopped.
 */
export const startWorldAuditConsumer = async (): Promise<WorldAuditConsumer> => {
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
  const tableName = process.env.TABLE_NAME ?? '';
  const { streamArn } = await createTable({ endpoint, tableName });
  const folder = await mkdtemp(join(tmpdir(), 'isolation-audit-'));
  const checkpointFile = join(folder, 'checkpoints.json');
  const lambda = createLambdaRuntime();
  scriptStreamHandler(async () => undefined);
  const skipping = await startStreamPoller({
    endpoint,
    tableName,
    streamArn,
    lambda,
    log: () => {},
    function: scriptedStreamFunction,
    checkpointFile,
  });
  await skipping.drained();
  await skipping.stop();
  const gaveUp: string[] = [];
  const poller = await startStreamPoller({
    endpoint,
    tableName,
    streamArn,
    lambda,
    log: (line) => {
      if (line.includes('gave up')) gaveUp.push(line);
    },
    checkpointFile,
    deadLetterDir: join(folder, 'dead-letters'),
    pollIntervalMs: 50,
    retryDelayMs: 5,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await poller.stop();
    await rm(folder, { recursive: true, force: true });
  };
  return {
    finish: async () => {
      await poller.drained();
      await stop();
      return gaveUp;
    },
    stop,
  };
};
