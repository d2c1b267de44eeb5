import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import type { StreamFailureRecord } from '#infra/local/stream-failure-record';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { createTable } from '#infra/local/table';
import { scriptedStreamFunction, scriptStreamHandler } from '../support/fixtures/scripted-stream-handler.ts';

/**
 * The local stream poller over DynamoDB Local's real stream: what it hands a
 * function, in which order, and how it handles failures (retries, bisecting,
 * dead letters), with a consumer each test scripts. Every test has a table
 * (and so a stream) of its own.
 */

const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const lambda = createLambdaRuntime({ timeoutMs: 5000 });
const pollers: StreamPoller[] = [];

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});
afterAll(() => client.destroy());

const freshStream = async () => {
  const tableName = `s_${randomBytes(6).toString('hex')}`;
  const { streamArn } = await createTable({ endpoint, tableName });
  return { tableName, streamArn };
};

const startPoller = async (stream: { tableName: string; streamArn: string }, options: { checkpointFile?: string } = {}) => {
  const deadLetterDir = await mkdtemp(join(tmpdir(), 'stream-poller-test-'));
  const logLines: string[] = [];
  const poller = await startStreamPoller({
    endpoint,
    ...stream,
    lambda,
    log: (line) => logLines.push(line),
    function: scriptedStreamFunction,
    deadLetterDir,
    retryDelayMs: 5,
    ...options,
  });
  pollers.push(poller);
  return { poller, deadLetterDir, logLines };
};

const put = (tableName: string, pk: string, sk: string, extra: Record<string, { S: string } | { N: string } | { B: Uint8Array }> = {}) =>
  client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: sk }, ...extra } }));

const putMany = async (tableName: string, keys: readonly string[]) => {
  for (let start = 0; start < keys.length; start += 25) {
    const requests = keys.slice(start, start + 25).map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: 'item' } } } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
  }
};

const recordsOf = (events: readonly DynamoDBStreamEvent[]): DynamoDBRecord[] => events.flatMap((event) => event.Records);
const pkOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.pk?.S;
const failuresFor = (event: DynamoDBStreamEvent, failing: (record: DynamoDBRecord) => boolean): DynamoDBBatchResponse => ({
  batchItemFailures: event.Records.filter(failing).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
});

const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('stream poller: what the function receives', () => {
  it('hands inserts, updates and deletes on as Lambda stream events with keys, images and creation times in seconds', async () => {
    // Prepare
    const stream = await freshStream();
    const received = scriptStreamHandler(async () => undefined);
    const { poller } = await startPoller(stream);

    // Act
    await put(stream.tableName, 'a', 'one', { name: { S: 'first' }, blob: { B: new Uint8Array([1, 2, 3]) } });
    await client.send(
      new UpdateItemCommand({
        TableName: stream.tableName,
        Key: { pk: { S: 'a' }, sk: { S: 'one' } },
        UpdateExpression: 'SET #name = :name',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': { S: 'second' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: stream.tableName, Key: { pk: { S: 'a' }, sk: { S: 'one' } } }));
    await poller.drained();

    // Assess
    const records = recordsOf(received);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    for (const record of records) {
      expect(record).toMatchObject({
        eventID: expect.any(String),
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'local',
        eventSourceARN: stream.streamArn,
        dynamodb: {
          Keys: { pk: { S: 'a' }, sk: { S: 'one' } },
          SequenceNumber: expect.any(String),
          SizeBytes: expect.any(Number),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          ApproximateCreationDateTime: expect.any(Number),
        },
      });
      // DynamoDB Local stamps records to the minute; seconds since the epoch, not milliseconds.
      expect(Math.abs((record.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    }
    const [insert, modify, remove] = records;
    expect(insert?.dynamodb?.NewImage).toEqual({ pk: { S: 'a' }, sk: { S: 'one' }, name: { S: 'first' }, blob: { B: 'AQID' } });
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.name).toEqual({ S: 'first' });
    expect(modify?.dynamodb?.NewImage?.name).toEqual({ S: 'second' });
    expect(remove?.dynamodb?.OldImage?.name).toEqual({ S: 'second' });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
  });

  it('keeps the order of changes to one item and sends batches of at most 100 records', async () => {
    // Prepare
    const stream = await freshStream();
    const received = scriptStreamHandler(async () => undefined);
    await putMany(
      stream.tableName,
      Array.from({ length: 130 }, (_, index) => `bulk${index}`),
    );
    for (let version = 1; version <= 20; version++) await put(stream.tableName, 'ordered', 'item', { version: { N: String(version) } });

    // Act
    const { poller } = await startPoller(stream);
    await poller.drained();

    // Assess
    expect(received.length).toBeGreaterThan(1);
    for (const event of received) expect(event.Records.length).toBeLessThanOrEqual(100);
    const records = recordsOf(received);
    expect(new Set(records.map(pkOf).filter((pk) => pk?.startsWith('bulk'))).size).toBe(130);
    const versions = records.filter((record) => pkOf(record) === 'ordered').map((record) => Number(record.dynamodb?.NewImage?.version?.N));
    expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('still delivers a write made after a quiet spell, within about a second', async () => {
    // Prepare
    const stream = await freshStream();
    const received = scriptStreamHandler(async () => undefined);
    const { poller } = await startPoller(stream);
    await poller.drained();
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Act
    const writtenAt = Date.now();
    await put(stream.tableName, 'late', 'item');
    await waitFor(() => recordsOf(received).some((record) => pkOf(record) === 'late'), 3000);

    // Assess
    expect(Date.now() - writtenAt).toBeLessThan(1000);
  });
});

describe('stream poller: restarts', () => {
  it('picks up after its checkpoint when restarted with one, rather than reading the stream from the start again', async () => {
    // Prepare
    const stream = await freshStream();
    const checkpointFile = join(await mkdtemp(join(tmpdir(), 'stream-poller-test-')), 'checkpoints.json');
    await put(stream.tableName, 'before1', 'item');
    await put(stream.tableName, 'before2', 'item');
    const first = scriptStreamHandler(async () => undefined);
    const { poller } = await startPoller(stream, { checkpointFile });
    await poller.drained();
    await poller.stop();
    await put(stream.tableName, 'after', 'item');
    const second = scriptStreamHandler(async () => undefined);

    // Act
    const restarted = await startPoller(stream, { checkpointFile });
    await restarted.poller.drained();

    // Assess
    expect(recordsOf(first).map(pkOf)).toEqual(['before1', 'before2']);
    expect(recordsOf(second).map(pkOf)).toEqual(['after']);
  });
});

describe('stream poller: failures', () => {
  it('narrows a failing batch down to its poison record, dead-letters it after 3 retries and delivers every other record', async () => {
    // Prepare
    const stream = await freshStream();
    const keys = ['good1', 'good2', 'poison', 'good3', 'good4'];
    for (const pk of keys) await put(stream.tableName, pk, 'item');
    const received = scriptStreamHandler(async (event) => failuresFor(event, (record) => pkOf(record) === 'poison'));

    // Act
    const { poller, deadLetterDir, logLines } = await startPoller(stream);
    await poller.drained();

    // Assess
    const deliveries = recordsOf(received).map(pkOf);
    const count = (pk: string) => deliveries.filter((delivered) => delivered === pk).length;
    expect(received[0]?.Records.map(pkOf)).toEqual(keys);
    // The records before the poison landed with the first invocation and are not sent again.
    expect(count('good1')).toBe(1);
    expect(count('good2')).toBe(1);
    // The ones after it are redelivered while the failure is narrowed down (at least once).
    expect(count('good3')).toBeGreaterThanOrEqual(1);
    expect(count('good4')).toBeGreaterThanOrEqual(1);
    // Alone, the poison gets its first try and 3 retries before it is given up.
    const aloneWithPoison = received.filter((event) => event.Records.length === 1 && pkOf(event.Records[0] ?? {}) === 'poison');
    expect(aloneWithPoison).toHaveLength(4);

    const files = (await readdir(deadLetterDir)).filter((name) => !name.startsWith('.'));
    expect(files).toHaveLength(1);
    const file = join(deadLetterDir, files[0] ?? '');
    const failure = JSON.parse(await readFile(file, 'utf8')) as StreamFailureRecord;
    const poison = aloneWithPoison[0]?.Records[0];
    expect(failure).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: expect.stringContaining(':function:'),
        requestId: expect.any(String),
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      version: '1.0',
      timestamp: expect.any(String),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: poison?.dynamodb?.SequenceNumber,
        endSequenceNumber: poison?.dynamodb?.SequenceNumber,
        batchSize: 1,
        streamArn: stream.streamArn,
      },
    });
    expect(failure.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(failure.payload)).toEqual({ Records: [poison] });
    expect(logLines.some((line) => line.includes(poison?.dynamodb?.SequenceNumber ?? '?') && line.includes(file))).toBe(true);
  });

  it('retries a batch whose invocation threw, and loses nothing', async () => {
    // Prepare
    const stream = await freshStream();
    const keys = ['r1', 'r2', 'r3'];
    for (const pk of keys) await put(stream.tableName, pk, 'item');
    let calls = 0;
    const received = scriptStreamHandler(async () => {
      calls += 1;
      if (calls === 1) throw new Error('first call fails');
      return { batchItemFailures: [] };
    });

    // Act
    const { poller, deadLetterDir, logLines } = await startPoller(stream);
    await poller.drained();

    // Assess
    expect(received.length).toBeGreaterThan(1);
    expect(new Set(recordsOf(received.slice(1)).map(pkOf))).toEqual(new Set(keys));
    expect(await readdir(deadLetterDir)).toEqual([]);
    expect(logLines.some((line) => line.includes('first call fails') && line.includes('retrying'))).toBe(true);
  });

  it('stops with nothing in flight: stop() waits for the invocation under way and no other starts', async () => {
    // Prepare
    const stream = await freshStream();
    for (const pk of ['s1', 's2', 's3']) await put(stream.tableName, pk, 'item');
    let inFlight = 0;
    let started = 0;
    scriptStreamHandler(async () => {
      inFlight += 1;
      started += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      inFlight -= 1;
      // Fails every time, so without stop() the poller would go on retrying.
      throw new Error('slow failure');
    });
    const { poller, deadLetterDir } = await startPoller(stream);
    await waitFor(() => inFlight === 1, 3000);
    const drainOutcome = poller.drained().then(
      () => 'drained',
      (error: Error) => error.message,
    );

    // Act
    await poller.stop();

    // Assess
    expect(inFlight).toBe(0);
    const startedAtStop = started;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(started).toBe(startedAtStop);
    expect(await readdir(deadLetterDir)).toEqual([]);
    expect(await drainOutcome).toMatch(/stopped/);
  });
});

describe('stream poller: pause and resume', () => {
  const settledYet = (promise: Promise<unknown>) => {
    let settled = false;
    promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    return () => settled;
  };

  it('holds records written while paused until resume, then delivers them in order; drained() waits meanwhile', async () => {
    // Prepare
    const stream = await freshStream();
    const received = scriptStreamHandler(async () => undefined);
    const { poller } = await startPoller(stream);
    await put(stream.tableName, 'before', 'item');
    await poller.drained();
    const before = poller.stats();

    // Act
    await poller.pause();
    for (const pk of ['held1', 'held2', 'held3']) await put(stream.tableName, pk, 'item');
    const drained = poller.drained();
    const isDrained = settledYet(drained);
    // Several poll intervals (250 ms) go by: a running poller would have delivered by now.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const whilePaused = recordsOf(received).map(pkOf);
    const drainedWhilePaused = isDrained();
    poller.resume();
    await drained;

    // Assess
    expect(whilePaused).toEqual(['before']);
    expect(drainedWhilePaused).toBe(false);
    expect(recordsOf(received).map(pkOf)).toEqual(['before', 'held1', 'held2', 'held3']);
    const after = poller.stats();
    expect(after.records - before.records).toBe(3);
    expect(after.invocations - before.invocations).toBeGreaterThanOrEqual(1);
    expect(after.failedInvocations).toBe(0);
  });

  it('pause() resolves only once the batch in flight is done, and starts no other', async () => {
    // Prepare
    const stream = await freshStream();
    let inFlight = 0;
    const received = scriptStreamHandler(async () => {
      inFlight += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      inFlight -= 1;
      return undefined;
    });
    const { poller } = await startPoller(stream);
    await put(stream.tableName, 'slow', 'item');
    await waitFor(() => inFlight === 1, 3000);

    // Act
    await poller.pause();
    const inFlightAtPause = inFlight;
    await put(stream.tableName, 'later', 'item');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const deliveredWhilePaused = recordsOf(received).map(pkOf);
    poller.resume();
    await poller.drained();

    // Assess
    expect(inFlightAtPause).toBe(0);
    expect(deliveredWhilePaused).toEqual(['slow']);
    expect(recordsOf(received).map(pkOf)).toEqual(['slow', 'later']);
  });

  it('stop() ends a pause: a drained() still waiting is rejected and stop() does not hang', async () => {
    // Prepare
    const stream = await freshStream();
    scriptStreamHandler(async () => undefined);
    const { poller } = await startPoller(stream);
    await poller.pause();
    await put(stream.tableName, 'never', 'item');
    const drainOutcome = poller.drained().then(
      () => 'drained',
      (error: Error) => error.message,
    );

    // Act
    await poller.stop();

    // Assess
    expect(await drainOutcome).toMatch(/stopped/);
  });
});
