import type { AccessRequest } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { loadCallerGrants } from '../access/grants.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { authorizeOnItem, authorizePortal, portalRoleRefusal } from './authorize-portal.ts';
import { holdsAny } from './client-permissions.ts';
import { createForCustomer } from './customer-item-create.ts';
import { ProjectEntity, type ProjectItem, type ProjectStatus } from './project.entity.ts';
import { projectDelta, summaryWrites } from './summary-counters.ts';
import { customersOnly } from './tickets.ts';

export interface ProjectView {
  id: string;
  customerId: string;
  name: string;
  description: string | null;
  status: ProjectStatus;
  progress: number;
  visibleToClient: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const toView = (item: ProjectItem): ProjectView => ({
  id: item.projectId,
  customerId: item.customerId,
  name: item.name,
  description: item.description ?? null,
  status: item.status,
  progress: item.progress,
  visibleToClient: item.visibleToClient,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

const projectNotFound = (projectId: string) => new NotFoundError(`Project ${projectId} was not found`);

/**
 * A customer's projects, newest first, one Query per page alongside the
 * authorization round. The MSP side sees all; a requester with
 * `view-projects` those flagged "show to client" (filtered from the page, which may then hold fewer than `limit`).
 */
export const listProjects = async (
  access: AccessRequest,
  customerId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<ProjectView>> => {
  const binding = JSON.stringify(['projects', customerId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [portal, page] = await Promise.all([
    authorizePortal(access, customerId, ['view-projects']),
    ProjectEntity.query
      .projectsOfCustomer({ customerId })
      .go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const items = portal.side === 'msp' ? page.data : page.data.filter((item) => item.visibleToClient);
  return { items: items.map(toView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewProject {
  name: string;
  description?: string | undefined;
  visibleToClient: boolean;
  status?: ProjectStatus | undefined;
  progress?: number | undefined;
}

/** Starts a project for a customer (the MSP side only); the customer's counters move in the same transaction. */
export const createProject = async (access: AccessRequest, customerId: string, input: NewProject, actor: Actor): Promise<ProjectView> => {
  const portal = await authorizePortal(access, customerId, []);
  if (portal.org?.kind !== 'customer') throw customersOnly('Projects');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const item: ProjectItem = {
    projectId: newId('prj'),
    customerId,
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    status: input.status ?? 'planned',
    progress: input.progress ?? 0,
    visibleToClient: input.visibleToClient,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await createForCustomer(
    customerId,
    (tx) => tx.project.create(item).commit(),
    projectDelta(null, item),
    by,
    'The project could not be created; try again',
  );
  return toView(item);
};

export interface ProjectChanges {
  name?: string | undefined;
  description?: string | undefined;
  status?: ProjectStatus | undefined;
  progress?: number | undefined;
  visibleToClient?: boolean | undefined;
}

/**
 * Changes a project (the MSP side only). A requester who sees the project is
 * refused with 403, one who does not with 404, as for a missing project.
 */
export const updateProject = async (
  access: AccessRequest,
  projectId: string,
  changes: ProjectChanges,
  ifMatch: number | null,
  actor: Actor,
): Promise<ProjectView> => {
  const [found, held] = await Promise.all([ProjectEntity.get({ projectId }).go(), loadCallerGrants(access.caller)]);
  const project = found.data;
  if (!project) throw projectNotFound(projectId);
  await authorizeOnItem(
    access,
    project.customerId,
    held,
    (requester) =>
      project.visibleToClient && holdsAny(requester.permissions, ['view-projects'])
        ? { verdict: 'forbidden', error: portalRoleRefusal('Only the MSP side changes projects', 'msp-only') }
        : { verdict: 'hidden' },
    () => projectNotFound(projectId),
  );
  const expected = assertVersion(project.version, ifMatch);
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const next: ProjectItem = {
    ...project,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    updatedAt: now,
    version: expected + 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write((tx) => [
          tx.project
            .patch({ projectId })
            .set({
              name: next.name,
              ...(next.description !== undefined ? { description: next.description } : {}),
              status: next.status,
              progress: next.progress,
              visibleToClient: next.visibleToClient,
              updatedAt: now,
              version: next.version,
              writtenBy: by,
            })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          ...summaryWrites(tx, project.customerId, projectDelta(project, next), by),
        ])
        .go(),
    () => changedMeanwhile('project', ifMatch),
  );
  return toView(next);
};
