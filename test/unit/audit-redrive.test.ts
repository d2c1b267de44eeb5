import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deadLetterFolder } from '#infra/local/dead-letters';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { failureRecordOf } from '#infra/local/stream-failure-record';
import { directoryFailureStore } from '#infra/tools/directory-failure-store';
import { formatRedriveSummary, redriveFailures } from '#infra/tools/redrive';
import { scriptedStreamFunction, scriptStreamHandler } from '../support/fixtures/scripted-stream-handler.ts';

/**
 * The redrive tool's core over a dead-letter folder: stored failures go back
 * through the consumer with the records they hold, and leave only once every
 * record landed. The consumer is scripted; no database is involved.
 */

const lambda = createLambdaRuntime({ timeoutMs: 2000 });
const invoke = (event: Parameters<typeof lambda.invoke>[1]) => lambda.invoke(scriptedStreamFunction, event);
const streamArn = 'arn:aws:dynamodb:local:000000000000:table/t/stream/2026-01-16T00:00:00.000';

const record = (sequenceNumber: string, pk: string): DynamoDBRecord => ({
  eventID: `event-${sequenceNumber}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'local',
  eventSourceARN: streamArn,
  dynamodb: {
    ApproximateCreationDateTime: 1_768_521_600,
    Keys: { pk: { S: pk }, sk: { S: 'item' } },
    NewImage: { pk: { S: pk }, sk: { S: 'item' }, name: { S: `name of ${pk}` } },
    SequenceNumber: sequenceNumber,
    SizeBytes: 40,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

/** A dead-letter folder holding one failure of the given records, written as the poller writes it. */
const folderWithFailure = async (records: DynamoDBRecord[]) => {
  const dir = await mkdtemp(join(tmpdir(), 'redrive-test-'));
  const failure = failureRecordOf({
    records,
    shardId: 'shardId-00000001768521600000-abcdef12',
    streamArn,
    functionArn: 'arn:aws:lambda:local:000000000000:function:partner-portal-local-audit',
    invokeCount: 4,
    functionError: false,
  });
  await deadLetterFolder(dir).write(failure);
  return dir;
};

const visibleFiles = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);

describe('audit redrive', () => {
  it('replays the stored records through the consumer and removes the failure once all of them landed', async () => {
    // Prepare
    const records = [record('100', 'a'), record('101', 'b')];
    const dir = await folderWithFailure(records);
    const received = scriptStreamHandler(async () => ({ batchItemFailures: [] }));

    // Act
    const summary = await redriveFailures({ store: directoryFailureStore(dir), invoke });

    // Assess
    expect(received).toEqual([{ Records: records }]);
    expect(summary.outcomes).toEqual([{ key: expect.stringMatching(/\.json$/), status: 'recorded', records: 2 }]);
    expect(await visibleFiles(dir)).toEqual([]);
    expect(formatRedriveSummary(summary)).toContain('1 recorded and removed (2 record(s)), 0 kept, 0 unreadable');
  });

  it('keeps the failure when a record fails again, or the consumer throws', async () => {
    // Prepare
    const dir = await folderWithFailure([record('200', 'a'), record('201', 'poison')]);
    const [stored] = await visibleFiles(dir);
    scriptStreamHandler(async () => ({ batchItemFailures: [{ itemIdentifier: '201' }] }));

    // Act
    const partly = await redriveFailures({ store: directoryFailureStore(dir), invoke });
    scriptStreamHandler(async () => {
      throw new Error('still broken');
    });
    const thrown = await redriveFailures({ store: directoryFailureStore(dir), invoke });

    // Assess
    expect(partly.outcomes).toEqual([{ key: stored, status: 'kept', records: 2, reason: '1 of 2 record(s) failed again' }]);
    expect(thrown.outcomes).toEqual([{ key: stored, status: 'kept', records: 2, reason: 'threw Error: still broken' }]);
    expect(await visibleFiles(dir)).toEqual([stored]);
  });

  it('reads what AWS writes to the S3 failure bucket, synced into a folder, and leaves files it cannot read', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'redrive-test-'));
    const objectDir = join(dir, 'aws/lambda/0f1e2d3c-esm/shardId-00000001768521600000-abcdef12/2026/01/16');
    await mkdir(objectDir, { recursive: true });
    const records = [record('300', 'from-aws')];
    const document = {
      requestContext: {
        requestId: 'r',
        functionArn: 'arn:aws:lambda:eu-west-1:1:function:f',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-16T00:00:05.000Z',
      DDBStreamBatchInfo: {
        shardId: 'shardId-00000001768521600000-abcdef12',
        startSequenceNumber: '300',
        endSequenceNumber: '300',
        approximateArrivalOfFirstRecord: '2026-01-16T00:00:00Z',
        approximateArrivalOfLastRecord: '2026-01-16T00:00:00Z',
        batchSize: 1,
        streamArn,
      },
      payload: JSON.stringify({ Records: records }),
    };
    await writeFile(join(objectDir, '2026-01-16T00.00.05-6f1c0e1a'), JSON.stringify(document));
    await writeFile(join(dir, 'notes.txt'), 'not a failure record');
    const received = scriptStreamHandler(async () => undefined);

    // Act
    const summary = await redriveFailures({ store: directoryFailureStore(dir), invoke });

    // Assess
    expect(received).toEqual([{ Records: records }]);
    expect(summary.outcomes.map((outcome) => outcome.status).sort()).toEqual(['recorded', 'unreadable']);
    expect(await visibleFiles(dir)).toEqual(['notes.txt']);
  });
});
