import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ShardCursor } from './stream-shards.ts';

/** The last record handed on, per shard, of one stream: where a restarted poller picks up. */
export type ShardPositions = ReadonlyMap<string, string>;

interface CheckpointDocument {
  streamArn: string;
  /** Shard id → sequence number of the last record handed on. */
  shards: Record<string, string>;
}

/**
 * Reads the positions saved for this stream. A missing or unreadable file, or
 * one saved for another stream (the table was recreated), means no positions:
 * every shard is read from its trim horizon.
 */
export const loadCheckpoints = async (file: string, streamArn: string): Promise<ShardPositions> => {
  try {
    const document = JSON.parse(await readFile(file, 'utf8')) as Partial<CheckpointDocument>;
    if (document.streamArn !== streamArn || typeof document.shards !== 'object' || document.shards === null) return new Map();
    return new Map(Object.entries(document.shards).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return new Map();
  }
};

/** Saves every shard's position, through a temporary file so a crash mid-write never leaves half a checkpoint. */
export const saveCheckpoints = async (file: string, streamArn: string, cursors: Iterable<ShardCursor>): Promise<void> => {
  const shards: Record<string, string> = {};
  for (const cursor of cursors) if (cursor.lastSequenceNumber) shards[cursor.shardId] = cursor.lastSequenceNumber;
  const document: CheckpointDocument = { streamArn, shards };
  await writeFile(`${file}.partial`, `${JSON.stringify(document, null, 2)}\n`);
  await rename(`${file}.partial`, file);
};
