import { MoveJobEntity, type MoveJobItem } from './move-job.entity.ts';
import type { OrgItem } from './org.entity.ts';
import { OrgPath } from './org-path.ts';

/** An org item with its path (and the keys derived from it) set to `path`. */
export const atPath = (item: OrgItem, path: string): OrgItem => ({
  ...item,
  path,
  pathKey: OrgPath.key(path),
  treeId: OrgPath.treeId(path),
  depth: OrgPath.depth(path),
});

const isUnder = (path: string, ancestor: string) => path === ancestor || path.startsWith(`${ancestor}/`);

/** Where an org tagged by a committed move really is, before its item is rewritten. */
export const applyMove = (item: OrgItem, job: MoveJobItem | undefined): OrgItem =>
  job && job.state !== 'preparing' && isUnder(item.path, job.oldPath)
    ? atPath(item, OrgPath.rebase(item.path, job.oldPath, job.newPath))
    : item;

/**
 * Reads see a multi-step move all at once: orgs tagged by a committed move are
 * returned at their new path. Costs one extra read, and only while a move is
 * under way; every other read returns the items untouched.
 */
export const resolveMoves = async (items: OrgItem[]): Promise<OrgItem[]> => {
  const moveIds = [...new Set(items.flatMap((item) => (item.moveId ? [item.moveId] : [])))];
  if (moveIds.length === 0) return items;
  const { data } = await MoveJobEntity.get(moveIds.map((moveId) => ({ moveId }))).go();
  const jobs = new Map(data.map((job) => [job.moveId, job]));
  return items.map((item) => (item.moveId ? applyMove(item, jobs.get(item.moveId)) : item));
};
