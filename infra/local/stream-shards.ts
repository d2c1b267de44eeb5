import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';

/** Where the poller stands in one shard of the stream. */
export interface ShardCursor {
  shardId: string;
  parentShardId: string | undefined;
  /** For the next GetRecords; undefined before the first read, or once it expired. */
  iterator: string | undefined;
  /** The last record handed on: a replacement iterator starts right after it. */
  lastSequenceNumber: string | undefined;
  /** GetRecords gave no next iterator: a closed shard, read to its end. */
  finished: boolean;
}

export interface ShardPage {
  records: _Record[];
  /** Undefined once a closed shard has nothing more to give. */
  nextIterator: string | undefined;
}

/** Every shard of the stream, following DescribeStream's pages (a stream with many shards lists them over several). */
export const describeShards = async (client: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> => {
  const shards: Shard[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await client.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
      }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId);
  return shards;
};

/**
 * Brings the cursors in line with a fresh description: a new shard gets a
 * cursor, read after its saved position if there is one, else from its trim
 * horizon; a shard no longer described (trimmed after 24 hours) is forgotten.
 * Answers whether anything changed.
 */
export const mergeShards = (
  cursors: Map<string, ShardCursor>,
  described: readonly Shard[],
  saved: ReadonlyMap<string, string> = new Map(),
): boolean => {
  let changed = false;
  const present = new Set<string>();
  for (const shard of described) {
    if (!shard.ShardId) continue;
    present.add(shard.ShardId);
    if (cursors.has(shard.ShardId)) continue;
    cursors.set(shard.ShardId, {
      shardId: shard.ShardId,
      parentShardId: shard.ParentShardId,
      iterator: undefined,
      lastSequenceNumber: saved.get(shard.ShardId),
      finished: false,
    });
    changed = true;
  }
  for (const shardId of cursors.keys()) {
    if (!present.has(shardId)) {
      cursors.delete(shardId);
      changed = true;
    }
  }
  return changed;
};

/**
 * The shards to read now. A child waits until its parent is read to its end,
 * so an item's changes are handed on in the order they happened even across
 * a shard split; a child whose parent is gone from the stream is free.
 * Shard ids start with their creation time, so sorting by id reads older first.
 */
export const readableShards = (cursors: ReadonlyMap<string, ShardCursor>): ShardCursor[] =>
  [...cursors.values()]
    .filter((cursor) => {
      if (cursor.finished) return false;
      const parent = cursor.parentShardId ? cursors.get(cursor.parentShardId) : undefined;
      return !parent || parent.finished;
    })
    .sort((a, b) => a.shardId.localeCompare(b.shardId));

/** A first read starts at the trim horizon, so nothing written before the poller started (the seed) is missed; a restart, after its saved position. */
const iteratorFor = async (client: DynamoDBStreamsClient, streamArn: string, cursor: ShardCursor): Promise<string | undefined> => {
  const at = { StreamArn: streamArn, ShardId: cursor.shardId };
  if (cursor.lastSequenceNumber) {
    try {
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({ ...at, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: cursor.lastSequenceNumber }),
      );
      return ShardIterator;
    } catch (error) {
      // The records after our position aged out of the stream: the oldest one left is the best we can do.
      if (!(error instanceof TrimmedDataAccessException)) throw error;
    }
  }
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ ...at, ShardIteratorType: 'TRIM_HORIZON' }));
  return ShardIterator;
};

/**
 * Reads the next page of a shard (at most `limit` records). The cursor keeps
 * its iterator; an expired one (iterators live 15 minutes in AWS) is
 * replaced by one starting after the last record handed on.
 */
export const readPage = async (
  client: DynamoDBStreamsClient,
  streamArn: string,
  cursor: ShardCursor,
  limit: number,
): Promise<ShardPage> => {
  for (let attempt = 0; ; attempt++) {
    cursor.iterator ??= await iteratorFor(client, streamArn, cursor);
    if (!cursor.iterator) return { records: [], nextIterator: undefined };
    try {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: limit }));
      return { records: page.Records ?? [], nextIterator: page.NextShardIterator };
    } catch (error) {
      cursor.iterator = undefined;
      if (!(error instanceof ExpiredIteratorException) || attempt > 0) throw error;
    }
  }
};

/** Moves the cursor past a page whose records were all handed on. */
export const advance = (cursor: ShardCursor, page: ShardPage): void => {
  const last = page.records.at(-1)?.dynamodb?.SequenceNumber;
  if (last) cursor.lastSequenceNumber = last;
  cursor.iterator = page.nextIterator;
  if (!page.nextIterator) cursor.finished = true;
};
