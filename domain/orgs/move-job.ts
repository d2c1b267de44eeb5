import type { Actor } from '../access/caller.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { type WrittenBy, writtenBy } from '../db/written-by.ts';
import { ConflictError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { MoveJobEntity, type MoveJobItem } from './move-job.entity.ts';
import { atPath } from './move-resolution.ts';
import { OrgEntity, type OrgItem } from './org.entity.ts';
import { OrgPath } from './org-path.ts';
import { readWholeSubtree } from './subtree.ts';

/** Passes over a subtree that keeps changing under a move before it gives up (and can be resumed). */
const maxPasses = 5;
/** Finished jobs are kept a week for the audit trail's sake, then expire. */
const keepDoneSeconds = 7 * 24 * 60 * 60;

const moveInProgress = (moveId: string) =>
  new ConflictError(`Move ${moveId} is in progress here; repeat it to resume, or wait for it`, {
    extensions: { rule: 'move-in-progress', moveId },
  });

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const oldKeysOf = (job: MoveJobItem) => ({ treeId: OrgPath.treeId(job.oldPath), pathKey: OrgPath.key(job.oldPath) });

/**
 * Step 1: records the job, tags the moved org and reserves its name under
 * the new parent, all in one transaction conditioned on what was read.
 */
export const startMoveJob = async (org: OrgItem, newParent: OrgItem, actor: Actor): Promise<MoveJobItem> => {
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const moveId = newId('mov');
  const job: MoveJobItem = {
    moveId,
    orgId: org.orgId,
    fromParentId: org.parentId,
    toParentId: newParent.orgId,
    oldPath: org.path,
    newPath: OrgPath.child(newParent.path, org.orgId),
    state: 'preparing',
    movedOrgs: 0,
    createdAt: now,
    updatedAt: now,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write(({ moveJob, org: orgs, orgName }) => [
          moveJob.create(job).commit(),
          orgs
            .patch({ orgId: org.orgId })
            .set({ moveId, writtenBy: by })
            .where((attr, { eq, notExists }) => `${eq(attr.version, org.version)} AND ${notExists(attr.moveId)}`)
            .commit(),
          orgName.create({ parentId: newParent.orgId, nameKey: org.nameKey, orgId: org.orgId, writtenBy: by }).commit(),
          orgs
            .check({ orgId: newParent.orgId })
            .where(
              (attr, { eq, notExists }) =>
                `${eq(attr.path, newParent.path)} AND ${eq(attr.status, 'active')} AND ${notExists(attr.moveId)}`,
            )
            .commit(),
        ])
        .go(),
    (index) =>
      index === 2
        ? new ConflictError(`An org named "${org.name}" already exists under ${newParent.orgId}`, { extensions: { rule: 'unique-name' } })
        : new ConflictError('Part of the hierarchy changed while moving; read it again and retry'),
  );
  return job;
};

/** Step 2, repeated until nothing is left: tags every org of the subtree with the move, in atomic chunks. */
const tagPass = async (job: MoveJobItem, by: WrittenBy): Promise<number> => {
  const untagged = (await readWholeSubtree(oldKeysOf(job))).filter((item) => item.moveId !== job.moveId);
  for (const chunk of chunks(untagged, maxTransactionItems)) {
    const inOtherMove = chunk.find((item) => item.moveId);
    if (inOtherMove?.moveId) throw moveInProgress(inOtherMove.moveId);
    await transact(
      () =>
        db.transaction
          .write(({ org }) =>
            chunk.map((item) =>
              org
                .patch({ orgId: item.orgId })
                .set({ moveId: job.moveId, writtenBy: by })
                .where((attr, { notExists }) => notExists(attr.moveId))
                .commit(),
            ),
          )
          .go(),
      () => new ConflictError('An org of the subtree joined another move; try again'),
    );
  }
  return untagged.length;
};

/** Step 3: one transaction flips the job to committed and re-parents the moved org; from here readers see the new paths. */
const commit = async (job: MoveJobItem, by: WrittenBy): Promise<void> => {
  const { data: org } = await OrgEntity.get({ orgId: job.orgId }).go();
  if (!org || org.moveId !== job.moveId) throw new ConflictError(`Move ${job.moveId} lost its org; it cannot be completed`);
  const moved = atPath(org, job.newPath);
  await transact(
    () =>
      db.transaction
        .write(({ moveJob, org: orgs, orgName }) => [
          moveJob
            .patch({ moveId: job.moveId })
            .set({ state: 'committed', updatedAt: by.at, writtenBy: by })
            .where((attr, { eq }) => eq(attr.state, 'preparing'))
            .commit(),
          orgs
            .update({ orgId: org.orgId })
            .set({
              parentId: job.toParentId,
              nameKey: org.nameKey,
              path: moved.path,
              pathKey: moved.pathKey,
              treeId: moved.treeId,
              depth: moved.depth,
              version: org.version + 1,
              updatedAt: by.at,
              writtenBy: by,
            })
            .composite({ kind: org.kind })
            .where((attr, { eq }) => `${eq(attr.version, org.version)} AND ${eq(attr.moveId, job.moveId)}`)
            .commit(),
          orgName.delete({ parentId: job.fromParentId, nameKey: org.nameKey }).commit(),
          orgs.update({ orgId: job.fromParentId }).add({ childCount: -1 }).set({ writtenBy: by }).commit(),
          orgs.update({ orgId: job.toParentId }).add({ childCount: 1 }).set({ writtenBy: by }).commit(),
        ])
        .go(),
    () => new ConflictError('The moved org changed while committing; repeat the move to resume'),
  );
};

/** Step 4, repeated until nothing is left: rewrites each tagged org at its new path and drops the tag. */
const finalizePass = async (job: MoveJobItem, by: WrittenBy): Promise<number> => {
  const pending = (await readWholeSubtree(oldKeysOf(job))).filter((item) => item.moveId === job.moveId);
  for (const chunk of chunks(pending, maxTransactionItems)) {
    await transact(
      () =>
        db.transaction
          .write(({ org }) =>
            chunk.map((item) => {
              const moved = atPath(item, OrgPath.rebase(item.path, job.oldPath, job.newPath));
              return org
                .update({ orgId: item.orgId })
                .set({
                  path: moved.path,
                  pathKey: moved.pathKey,
                  treeId: moved.treeId,
                  depth: moved.depth,
                  version: item.version + 1,
                  updatedAt: by.at,
                  writtenBy: by,
                })
                .remove(['moveId'])
                .where((attr, { eq }) => eq(attr.moveId, job.moveId))
                .commit();
            }),
          )
          .go(),
      () => new ConflictError('An org changed while the move was being finalised; repeat the move to resume'),
    );
  }
  return pending.length;
};

/** Step 5: the job is done and the moved org is released. */
const finish = async (job: MoveJobItem, movedOrgs: number, by: WrittenBy): Promise<void> => {
  await db.transaction
    .write(({ moveJob, org }) => [
      moveJob
        .patch({ moveId: job.moveId })
        .set({ state: 'done', movedOrgs, updatedAt: by.at, writtenBy: by, expiresAt: Math.floor(Date.now() / 1000) + keepDoneSeconds })
        .commit(),
      org.patch({ orgId: job.orgId }).remove(['moveId']).set({ writtenBy: by }).commit(),
    ])
    .go();
};

/**
 * Runs (or resumes) a move job to the end. Every step is idempotent and
 * keyed on the job's state, so a move cut short by a crash or a timeout is
 * completed by repeating the same request.
 */
export const runMoveJob = async (job: MoveJobItem, actor: Actor): Promise<MoveJobItem> => {
  const by = writtenBy(actor, new Date().toISOString());
  let state = job.state;
  let movedOrgs = job.movedOrgs;
  if (state === 'preparing') {
    let passes = 0;
    while ((await tagPass(job, by)) > 0) {
      if (++passes >= maxPasses) throw moveInProgress(job.moveId);
    }
    await commit(job, by);
    state = 'committed';
  }
  if (state === 'committed') {
    let rewritten = 0;
    for (let passes = 0; passes < maxPasses; passes++) {
      const count = await finalizePass(job, by);
      if (count === 0) break;
      rewritten += count;
    }
    movedOrgs = rewritten + 1;
    await finish(job, movedOrgs, by);
    state = 'done';
  }
  return { ...job, state, movedOrgs };
};

export const readMoveJob = async (moveId: string): Promise<MoveJobItem | null> =>
  (await MoveJobEntity.get({ moveId }).go({ consistent: true })).data;

export { moveInProgress };
