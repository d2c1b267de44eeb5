import type { Actor, Caller } from '../access/caller.ts';
import { type DryRunReport, dryRunReport } from '../access/dry-run.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { PreconditionFailedError } from '../shared/errors.ts';
import type { ServiceRelationshipItem } from './service.entity.ts';
import { authorizeOnService, serviceNotFound } from './service-access.ts';
import type { ServiceAccountItem } from './service-account.entity.ts';
import { serviceLinkOf } from './service-assignment.entity.ts';
import { maxServiceAccounts } from './service-limits.ts';
import { deleteAssignments, deleteUnlinkedAccounts, type PathOf, unlinkAccounts } from './service-removal.ts';
import { assertMayShare, serviceRule } from './service-rules.ts';
import { chunksOf, readAssignments, readMembershipsAt, readService, readServiceAccounts } from './service-store.ts';
import { accountStateOf, byAccountThenUser, isLive, type ServiceView } from './service-view.ts';
import { loadServiceView, newLinkId } from './services.ts';

export interface ServiceChange {
  addAccountIds?: readonly string[] | undefined;
  removeAccountIds?: readonly string[] | undefined;
  /** `ended`: remove every account, then close the service for good. */
  status?: 'ended' | undefined;
}

/** Added accounts per transaction: a link item and an org write each, beside the check that the service is still active. */
const addsPerTransaction = 49;

/** Who would lose access where if these accounts left the service: the live assignments to them. */
const lossesOf = async (service: ServiceRelationshipItem, leaving: readonly ServiceAccountItem[], orgs: ReadonlyMap<string, OrgItem>) => {
  const assignments = (await Promise.all(leaving.map((link) => readAssignments(service.serviceId, link.accountId)))).flat();
  const members = await readMembershipsAt(
    service.providerOrgId,
    assignments.map((item) => item.userId),
  );
  const linkOf = new Map(leaving.map((link) => [link.accountId, link]));
  return assignments
    .filter((item) => {
      const link = linkOf.get(item.accountId);
      return link !== undefined && isLive(item, link, accountStateOf(service, link, orgs.get(item.accountId)), members.get(item.userId));
    })
    .map((item) => ({ userId: item.userId, email: item.email, orgId: item.accountId, via: 'service' as const }));
};

/**
 * Changes a service's accounts, or ends it (`service:write` at the owner).
 * Adding an account writes a new link into its org beside its link item, in
 * transactions of 49 accounts that each hold only while the service is
 * active. Removing one (and ending the service, which removes them all) goes
 * in steps that each take effect on their own and can be repeated: the
 * links leave the orgs first (access ends there), then the assignments are
 * deleted, then the link items; ending then marks the service `ended`.
 * Repeating the request after an interruption finishes the job; accounts
 * already in (or already out of) the service are left as they are, so a
 * repeat changes nothing more. `version` goes up once per request that
 * changes anything. With `dryRun`: who would lose access to which account,
 * and nothing written.
 */
export const updateService = async (
  caller: Caller,
  serviceId: string,
  change: ServiceChange,
  options: { ifMatch: number | null; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<ServiceView | DryRunReport> => {
  const adding = change.addAccountIds ?? [];
  const ending = change.status === 'ended';
  const linksRead = readServiceAccounts(serviceId);
  linksRead.catch(() => undefined);
  const { service, grants, owner, extra } = await authorizeOnService(caller, serviceId, { owner: 'service:write' }, async () => {
    const links = await linksRead;
    return { links, orgs: await readOrgs([...adding, ...links.map((link) => link.accountId)]) };
  });
  if (!owner) throw serviceNotFound();
  const { orgs } = extra;
  const links = new Map(extra.links.map((link) => [link.accountId, link]));
  const expected = assertVersion(service.version, options.ifMatch);

  const toAdd = adding.filter((accountId) => !links.has(accountId) || links.get(accountId)?.status === 'removing');
  if (toAdd.length > 0) {
    assertMayShare({
      grants,
      owner,
      providerOrgId: service.providerOrgId,
      role: service.role,
      accountIds: toAdd,
      orgs,
      field: 'body.addAccountIds',
    });
    if (service.status !== 'active') throw serviceRule(`The service is ${service.status}: no accounts can be added`, 'service-not-active');
    const pending = toAdd.filter((accountId) => links.has(accountId));
    if (pending.length > 0) {
      throw serviceRule(`Still being removed: ${pending.join(', ')}; repeat the removal to finish it first`, 'account-being-removed', {
        accountIds: pending,
      });
    }
    if (links.size + toAdd.length > maxServiceAccounts)
      throw serviceRule(`A service holds at most ${maxServiceAccounts} accounts`, 'too-many-accounts');
  }
  const leaving = ending ? [...links.values()] : (change.removeAccountIds ?? []).flatMap((id) => links.get(id) ?? []);
  const closing = ending && service.status !== 'ended';

  if (options.dryRun) {
    return dryRunReport({
      usersLosingAccess: (await lossesOf(service, leaving, orgs)).sort(byAccountThenUser),
      accountsAffected: leaving.map((link) => link.accountId).sort(),
    });
  }
  if (toAdd.length === 0 && leaving.length === 0 && !closing) return loadServiceView(service);

  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const startsEnding = ending && service.status === 'active';
  await transact(
    () =>
      db.transaction
        .write(({ serviceRelationship }) => [
          serviceRelationship
            .patch({ serviceId })
            .set({ version: expected + 1, updatedAt: now, writtenBy: by, ...(startsEnding ? { status: 'ending', endedAt: now } : {}) })
            .where((attr, { eq }) => `${eq(attr.version, expected)} AND ${eq(attr.status, service.status)}`)
            .commit(),
        ])
        .go(),
    () =>
      options.ifMatch !== null
        ? new PreconditionFailedError('The service changed since the version named in If-Match')
        : serviceRule('The service changed while this request ran; read it again and retry', 'changed'),
  );

  for (const chunk of chunksOf(toAdd, addsPerTransaction)) {
    await transact(
      () =>
        db.transaction
          .write(({ serviceRelationship, serviceAccount, org }) => [
            serviceRelationship
              .check({ serviceId })
              .where((attr, { eq }) => eq(attr.status, 'active'))
              .commit(),
            ...chunk.flatMap((accountId) => {
              const linkId = newLinkId();
              return [
                serviceAccount
                  .create({
                    serviceId,
                    accountId,
                    linkId,
                    ownerOrgId: service.ownerOrgId,
                    providerOrgId: service.providerOrgId,
                    status: 'linked',
                    addedAt: now,
                    version: 1,
                    writtenBy: by,
                  })
                  .commit(),
                org
                  .patch({ orgId: accountId })
                  .add({ serviceLinks: [serviceLinkOf(serviceId, linkId)] })
                  .set({ writtenBy: by })
                  .where((attr, { eq }) => eq(attr.parentId, service.ownerOrgId))
                  .commit(),
              ];
            }),
          ])
          .go(),
      (index) =>
        index === 0
          ? serviceRule('The service was ended while accounts were being added', 'service-not-active')
          : serviceRule('An account changed while it was being added; repeat the request', 'changed'),
    );
  }

  const pathOf: PathOf = (accountId) => orgs.get(accountId)?.path ?? `${owner.path}/${accountId}`;
  await unlinkAccounts(service, leaving, orgs, by);
  // Ending sweeps every assignment of the service, leftovers of earlier removals included.
  const assignments = ending
    ? await readAssignments(serviceId)
    : (await Promise.all(leaving.map((link) => readAssignments(serviceId, link.accountId)))).flat();
  await deleteAssignments(assignments, pathOf, by);
  await deleteUnlinkedAccounts(service, leaving, pathOf, by);
  if (closing) {
    await transact(
      () =>
        db.transaction
          .write(({ serviceRelationship }) => [
            serviceRelationship
              .patch({ serviceId })
              .set({ status: 'ended', writtenBy: by })
              .where((attr, { eq }) => eq(attr.status, 'ending'))
              .commit(),
          ])
          .go(),
      () => serviceRule('The service changed while it was being ended; repeat the request', 'changed'),
    );
  }
  const current = await readService(serviceId);
  if (!current) throw serviceNotFound();
  return loadServiceView(current);
};
