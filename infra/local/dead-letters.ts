import { mkdir, mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StreamFailureRecord } from './stream-failure-record.ts';

/** The local stand-in for the stack's S3 failure destination: one JSON file per failure record. */
export interface DeadLetterFolder {
  /** Stores a failure record and answers its file's path. */
  write(failure: StreamFailureRecord): Promise<string>;
}

/** `2026-01-16T10.53.46-<shard id>-<first sequence number>.json`: sorts by time and names the record it holds. */
const deadLetterFileName = (failure: StreamFailureRecord): string => {
  const time = failure.timestamp.slice(0, 19).replaceAll(':', '.');
  const { shardId, startSequenceNumber } = failure.DDBStreamBatchInfo;
  return `${time}-${shardId}-${startSequenceNumber}.json`;
};

/**
 * A dead-letter folder at `dir`, created when first written to; without a
 * `dir`, a fresh folder under the OS temp directory (kept after the runtime
 * stops: the failures are evidence, and the log names the folder).
 */
export const deadLetterFolder = (dir?: string): DeadLetterFolder => {
  let folder: Promise<string> | undefined;
  const ensureFolder = (): Promise<string> => {
    folder ??= (async () => {
      const path = dir ? resolve(dir) : await mkdtemp(join(tmpdir(), 'partner-portal-audit-dead-letters-'));
      await mkdir(path, { recursive: true });
      return path;
    })();
    return folder;
  };

  return {
    write: async (failure) => {
      const folderPath = await ensureFolder();
      const name = deadLetterFileName(failure);
      const path = join(folderPath, name);
      // Written under a hidden name and renamed, so the redrive tool never reads half a file.
      const partial = join(folderPath, `.${name}.partial`);
      await writeFile(partial, `${JSON.stringify(failure, null, 2)}\n`);
      await rename(partial, path);
      return path;
    },
  };
};
