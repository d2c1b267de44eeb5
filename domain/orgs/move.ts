import type { AccessRequest } from '../access/authorize.ts';
import { assertAllowedOn, orgNotFound } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadGrants } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { ConflictError, PreconditionFailedError } from '../shared/errors.ts';
import { maxDepth, mayHoldChild } from './kinds.ts';
import type { MoveJobItem } from './move-job.entity.ts';
import { moveInProgress, readMoveJob, runMoveJob, startMoveJob } from './move-job.ts';
import type { OrgItem } from './org.entity.ts';
import { OrgPath } from './org-path.ts';
import { readOrg } from './org-store.ts';
import { type OrgView, toOrgView } from './org-view.ts';
import { assertVersion } from './orgs.ts';
import { readWholeSubtree } from './subtree.ts';

export interface MoveResult {
  org: OrgView;
  movedOrgs: number;
  moveId: string | null;
}

/** Writes besides the moved orgs: the name swap (2) and both parents' child counts (2). */
const fixedWrites = 4;

/** The largest subtree (the org included) that moves in one atomic transaction. */
export const maxAtomicMove = maxTransactionItems - fixedWrites;

export const rule = (message: string, name: string) => new ConflictError(message, { extensions: { rule: name } });

/**
 * The rules a move checks once the org and its new parent are known and
 * differ from the current one: the first it breaks (the error the move
 * answers), with the subtree it read to know.
 */
export const subtreeRefusal = async (
  org: OrgItem,
  newParent: OrgItem,
): Promise<{ refusal: ConflictError | null; descendants: OrgItem[] }> => {
  if (!mayHoldChild(newParent.kind, org.kind))
    return { refusal: rule(`A ${newParent.kind} cannot hold a ${org.kind}`, 'kind'), descendants: [] };
  if (newParent.status !== 'active')
    return { refusal: rule('A suspended org cannot take new children', 'parent-suspended'), descendants: [] };
  const descendants = await readWholeSubtree(org);
  const height = Math.max(0, ...descendants.map((item) => item.depth - org.depth));
  if (newParent.depth + 1 + height > maxDepth)
    return { refusal: rule(`The hierarchy is at most ${maxDepth} levels deep`, 'depth'), descendants };
  const inOtherMove = descendants.find((item) => item.moveId);
  return { refusal: inOtherMove?.moveId ? moveInProgress(inOtherMove.moveId) : null, descendants };
};

/** Where an org of the moved subtree lands: its path below the moved org, re-rooted at the new parent. */
export const relocate = (item: OrgItem, moved: Pick<OrgItem, 'orgId' | 'path'>, newParentPath: string): OrgItem => {
  const path = `${newParentPath}/${moved.orgId}${item.path.slice(moved.path.length)}`;
  return { ...item, path, pathKey: OrgPath.key(path), treeId: OrgPath.treeId(path), depth: OrgPath.depth(path) };
};

const resultOf = async (job: MoveJobItem): Promise<MoveResult> => {
  const moved = await readOrg(job.orgId);
  if (!moved) throw orgNotFound(job.orgId);
  return { org: toOrgView(moved), movedOrgs: job.movedOrgs, moveId: job.moveId };
};

/** Repeating a move that was cut short completes it; a move elsewhere is refused while one is under way. */
const resumeMove = async (org: OrgItem, newParentId: string, actor: Actor): Promise<MoveResult> => {
  const job = org.moveId ? await readMoveJob(org.moveId) : null;
  if (!job || job.state === 'done') throw new ConflictError('A finished move still marks this org; try again shortly');
  if (job.orgId !== org.orgId || job.toParentId !== newParentId) throw moveInProgress(job.moveId);
  return resultOf(await runMoveJob(job, actor));
};

/**
 * Moves an org and its subtree under a new parent. The caller needs `org:move`
 * at both ends; the move is refused if it would make a cycle, break the kind
 * rule or the depth bound, or clash with a sibling's name. Every org of the
 * subtree is rewritten in one transaction conditioned on the versions and
 * child counts that were read, so a concurrent change (a new child included)
 * makes the move fail rather than leave a stale path behind. A subtree too
 * large for one transaction moves as a resumable job (move-job.ts) that
 * readers see all at once when it commits.
 */
export const moveOrg = async (
  access: AccessRequest,
  orgId: string,
  newParentId: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<MoveResult> => {
  const [found, target, grants] = await Promise.all([readOrg(orgId), readOrg(newParentId), loadGrants(access.caller)]);
  const org = assertAllowedOn(grants, found, orgId, access.permission);
  const expected = assertVersion(org.version, ifMatch);
  const newParent = assertAllowedOn(grants, target, newParentId, access.permission);
  if (!org.parentId) throw rule('The platform root cannot be moved', 'root');
  if (org.moveId) return resumeMove(org, newParentId, actor);
  if (newParent.moveId) throw moveInProgress(newParent.moveId);
  if (OrgPath.isAncestorOrSelf(orgId, newParent.path)) throw rule('An org cannot move under itself or its own subtree', 'cycle');
  if (org.parentId === newParentId) return { org: toOrgView(org), movedOrgs: 0, moveId: null };
  const { refusal, descendants } = await subtreeRefusal(org, newParent);
  if (refusal) throw refusal;
  if (descendants.length + 1 > maxAtomicMove) {
    const job = await runMoveJob(await startMoveJob(org, newParent, actor), actor);
    return resultOf(job);
  }
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const oldParentId = org.parentId;
  const moved = [org, ...descendants].map((item) => ({ before: item, after: relocate(item, org, newParent.path) }));
  await transact(
    () =>
      db.transaction
        .write(({ org: orgs, orgName }) => [
          ...moved.map(({ before, after }) =>
            orgs
              .update({ orgId: before.orgId })
              .set({
                path: after.path,
                pathKey: after.pathKey,
                treeId: after.treeId,
                depth: after.depth,
                version: before.version + 1,
                updatedAt: now,
                writtenBy: by,
                ...(before.orgId === orgId ? { parentId: newParentId, nameKey: before.nameKey } : {}),
              })
              .composite({ kind: before.kind })
              .where((attr, { eq }) => `${eq(attr.version, before.version)} AND ${eq(attr.childCount, before.childCount)}`)
              .commit(),
          ),
          orgName.delete({ parentId: oldParentId, nameKey: org.nameKey }).commit(),
          orgName.create({ parentId: newParentId, nameKey: org.nameKey, orgId, writtenBy: by }).commit(),
          orgs.update({ orgId: oldParentId }).add({ childCount: -1 }).set({ writtenBy: by }).commit(),
          orgs
            .update({ orgId: newParentId })
            .add({ childCount: 1 })
            .set({ writtenBy: by })
            .where((attr, { eq }) => `${eq(attr.path, newParent.path)} AND ${eq(attr.status, 'active')}`)
            .commit(),
        ])
        .go(),
    (index) => {
      if (index === moved.length + 1) return rule(`An org named "${org.name}" already exists under ${newParentId}`, 'unique-name');
      if (index === 0 && ifMatch !== null) return new PreconditionFailedError('The org changed since the version named in If-Match');
      return new ConflictError('Part of the hierarchy changed while moving; read it again and retry');
    },
  );
  const [head] = moved;
  if (!head) throw orgNotFound(orgId);
  return {
    org: toOrgView({ ...head.after, parentId: newParentId, version: expected + 1, updatedAt: now }),
    movedOrgs: moved.length,
    moveId: null,
  };
};
