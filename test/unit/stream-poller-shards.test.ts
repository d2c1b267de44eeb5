import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaRuntime } from '#infra/local/lambda-runtime';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { scriptedStreamFunction, scriptStreamHandler } from '../support/fixtures/scripted-stream-handler.ts';

/**
 * How the poller follows the shards of a stream, which DynamoDB Local does
 * not show on demand (it keeps one open shard): described shards across
 * pages, a parent read to its end before its child, a child found only when
 * its parent closes, and an expired iterator replaced without loss. The
 * Streams API is mocked; the consumer is scripted.
 */

const streams = mockClient(DynamoDBStreamsClient);
const streamArn = 'arn:aws:dynamodb:local:000000000000:table/t/stream/2026-01-16T00:00:00.000';
const parent = 'shardId-00000001768521600000-aaaaaaaa';
const child = 'shardId-00000001768525200000-bbbbbbbb';
let poller: StreamPoller | undefined;

const streamRecord = (sequenceNumber: string): _Record => ({
  eventID: `event-${sequenceNumber}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date('2026-01-16T00:00:00Z'),
    Keys: { pk: { S: `item${sequenceNumber}` }, sk: { S: 'x' } },
    SequenceNumber: sequenceNumber,
    SizeBytes: 20,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const start = async () => {
  poller = await startStreamPoller({
    endpoint: 'http://127.0.0.1:1',
    tableName: 't',
    streamArn,
    lambda: createLambdaRuntime({ timeoutMs: 2000 }),
    log: () => {},
    function: scriptedStreamFunction,
    pollIntervalMs: 10,
  });
  return poller;
};

const deliveredSequence = (events: { Records: { dynamodb?: { SequenceNumber?: string } }[] }[]) =>
  events.flatMap((event) => event.Records.map((record) => record.dynamodb?.SequenceNumber));

beforeEach(() => {
  streams.reset();
  streams.on(GetShardIteratorCommand).callsFake(async (input: { ShardId: string; ShardIteratorType: string; SequenceNumber?: string }) => ({
    ShardIterator: `${input.ShardId}@${input.ShardIteratorType}${input.SequenceNumber ? `:${input.SequenceNumber}` : ''}`,
  }));
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

describe('stream poller: shards', () => {
  it('follows DescribeStream pages and reads a parent to its end before its child', async () => {
    // Prepare: the child is listed first, on the first page.
    streams
      .on(DescribeStreamCommand, { StreamArn: streamArn })
      .resolves({ StreamDescription: { Shards: [{ ShardId: child, ParentShardId: parent }], LastEvaluatedShardId: child } });
    streams
      .on(DescribeStreamCommand, { StreamArn: streamArn, ExclusiveStartShardId: child })
      .resolves({ StreamDescription: { Shards: [{ ShardId: parent }] } });
    // The parent holds two pages: the child must wait for the second one too.
    streams
      .on(GetRecordsCommand, { ShardIterator: `${parent}@TRIM_HORIZON` })
      .resolves({ Records: [streamRecord('1'), streamRecord('2')], NextShardIterator: `${parent}@page2` });
    streams.on(GetRecordsCommand, { ShardIterator: `${parent}@page2` }).resolves({ Records: [streamRecord('3')] });
    streams.on(GetRecordsCommand, { ShardIterator: `${child}@TRIM_HORIZON` }).resolves({
      Records: [streamRecord('4')],
      NextShardIterator: `${child}@next`,
    });
    streams.on(GetRecordsCommand, { ShardIterator: `${child}@next` }).resolves({ Records: [], NextShardIterator: `${child}@next` });
    const received = scriptStreamHandler(async () => undefined);

    // Act
    await (await start()).drained();

    // Assess
    expect(deliveredSequence(received)).toEqual(['1', '2', '3', '4']);
    const reads = streams.commandCalls(GetRecordsCommand).map((call) => call.args[0].input.ShardIterator);
    expect(reads.indexOf(`${child}@TRIM_HORIZON`)).toBeGreaterThan(reads.indexOf(`${parent}@page2`));
  });

  it('finds a child shard once its parent closes, and reads it from its trim horizon', async () => {
    // Prepare: at first only the open parent; once it has closed, the stream lists the child too.
    let parentClosed = false;
    streams.on(DescribeStreamCommand).callsFake(async () => ({
      StreamDescription: {
        Shards: parentClosed ? [{ ShardId: parent }, { ShardId: child, ParentShardId: parent }] : [{ ShardId: parent }],
      },
    }));
    let parentReads = 0;
    streams.on(GetRecordsCommand).callsFake(async ({ ShardIterator }: { ShardIterator: string }) => {
      if (ShardIterator.startsWith(parent)) {
        parentReads += 1;
        if (parentReads < 3) return { Records: [], NextShardIterator: `${parent}@open` };
        parentClosed = true;
        return { Records: [streamRecord('10')] };
      }
      return ShardIterator === `${child}@TRIM_HORIZON`
        ? { Records: [streamRecord('11')], NextShardIterator: `${child}@next` }
        : { Records: [], NextShardIterator: ShardIterator };
    });
    const received = scriptStreamHandler(async () => undefined);
    await start();

    // Act
    await new Promise((resolve) => setTimeout(resolve, 100));
    await poller?.drained();

    // Assess
    expect(deliveredSequence(received)).toEqual(['10', '11']);
  });

  it('replaces an expired iterator with one after the last record handed on', async () => {
    // Prepare
    streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: parent }] } });
    streams
      .on(GetRecordsCommand, { ShardIterator: `${parent}@TRIM_HORIZON` })
      .resolves({ Records: [streamRecord('5')], NextShardIterator: `${parent}@stale` });
    streams
      .on(GetRecordsCommand, { ShardIterator: `${parent}@stale` })
      .rejects(new ExpiredIteratorException({ message: 'expired', $metadata: {} }));
    streams
      .on(GetRecordsCommand, { ShardIterator: `${parent}@AFTER_SEQUENCE_NUMBER:5` })
      .resolves({ Records: [streamRecord('6')], NextShardIterator: `${parent}@after6` });
    streams.on(GetRecordsCommand, { ShardIterator: `${parent}@after6` }).resolves({ Records: [], NextShardIterator: `${parent}@after6` });
    const received = scriptStreamHandler(async () => undefined);

    // Act
    await (await start()).drained();

    // Assess
    expect(deliveredSequence(received)).toEqual(['5', '6']);
  });
});
