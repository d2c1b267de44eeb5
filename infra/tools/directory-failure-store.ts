import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { FailureStore } from './redrive.ts';

/**
 * The local dead-letter folder (or a copy of the S3 bucket, `aws s3 sync`ed
 * down) as a failure store: every file under it, subfolders included, keyed
 * by its path relative to the folder. Hidden files are skipped: the poller
 * writes a failure under a hidden name before renaming it into place.
 */
export const directoryFailureStore = (dir: string): FailureStore => {
  const root = resolve(dir);
  return {
    location: root,
    list: async function* () {
      const info = await stat(root).catch(() => undefined);
      if (!info?.isDirectory()) throw new Error(`${root} is not a folder`);
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => relative(root, join(entry.parentPath, entry.name)))
        // File names start with the failure's time, so this is oldest first within a folder.
        .sort();
      yield* files;
    },
    read: (key) => readFile(join(root, key), 'utf8'),
    remove: (key) => rm(join(root, key)),
  };
};
