import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { type DryRunReport, dryRunReport } from '../access/dry-run.ts';
import { loadGrants } from '../access/grants.ts';
import { assertMayAssign } from '../access/members.ts';
import type { RoleName } from '../access/roles.ts';
import { UserEmailEntity } from '../access/user.entity.ts';
import { invitedMeanwhile, newUserWrites } from '../access/users.ts';
import { tombstoneFor } from '../db/deletion.ts';
import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ExternalAdminEntity, type ExternalAdminItem } from './external-admin.entity.ts';
import { expirySeconds, isoOfSeconds } from './external-admin-expiry.ts';

export interface ExternalAdminView {
  userId: string;
  email: string;
  orgId: string;
  role: RoleName;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const toExternalAdminView = (item: ExternalAdminItem): ExternalAdminView => ({
  userId: item.userId,
  email: item.email,
  orgId: item.orgId,
  role: item.role,
  expiresAt: isoOfSeconds(item.expiresAt),
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An expired grant no longer exists as far as anyone can tell, although TTL removes its item up to days later. */
const isLive = (item: { expiresAt: number }, seconds: number = nowSeconds()): boolean => item.expiresAt > seconds;

const notAnExternalAdmin = (userId: string) => new NotFoundError(`User ${userId} is not an external admin here`);

const rule = (message: string, name: string) => new ConflictError(message, { extensions: { rule: name } });

/**
 * The live external administrators of a customer, by user id: one Query per
 * page on the customer's index alongside the authorization reads. Expired
 * grants are filtered out on the server, so a page may hold fewer than
 * `limit`. Orgs other than customers have none.
 */
export const listExternalAdmins = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<ExternalAdminView>> => {
  const binding = JSON.stringify(['external-admins', orgId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizeOn(access, orgId),
    ExternalAdminEntity.query
      .externalAdminsOfOrg({ orgId })
      .where((attr, { gt }) => gt(attr.expiresAt, nowSeconds()))
      .go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  return { items: page.data.map(toExternalAdminView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewExternalAdmin {
  email: string;
  role: RoleName;
  /** ISO 8601; a year from now when left out. */
  expiresAt?: string | undefined;
}

/**
 * Makes a user of another org an administrator of one customer, with a role
 * and an expiry (a year by default, two at most). The role must fit a
 * customer and carry nothing the caller does not hold there (the same
 * no-escalation rule as members). The customer's own members are refused
 * (they hold their access already); so is a second live grant to the same
 * user (409 `already-external-admin`: there is no PATCH, so remove it and add
 * it again to change it). An expired grant whose item TTL has not removed yet
 * is replaced. An email nobody has invited yet gets an invited user, as
 * adding a member does: refusing it would tell the caller which emails have
 * accounts.
 */
export const addExternalAdmin = async (
  access: AccessRequest,
  orgId: string,
  input: NewExternalAdmin,
  actor: Actor,
): Promise<ExternalAdminView> => {
  const email = input.email.trim().toLowerCase();
  const [{ org, grants }, existing] = await Promise.all([authorizeOn(access, orgId), UserEmailEntity.get({ email }).go()]);
  const expiresAt = expirySeconds(input.expiresAt);
  if (org.kind !== 'customer') throw rule('Only a customer has external administrators', 'customers-only');
  assertMayAssign(grants, org, input.role, 'assign');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const userId = existing.data?.userId ?? newId('usr');
  const item: ExternalAdminItem = {
    userId,
    orgId,
    email,
    role: input.role,
    expiresAt,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write(({ externalAdmin, membership, org: orgs, user, userEmail }) => [
          externalAdmin
            .put(item)
            .where((attr, { notExists, lte }) => `${notExists(attr.userId)} OR ${lte(attr.expiresAt, nowSeconds())}`)
            .commit(),
          membership
            .check({ userId, orgId })
            .where((attr, { notExists }) => notExists(attr.userId))
            .commit(),
          orgStillExists(orgs, orgId),
          ...newUserWrites({ user, userEmail }, { userId, email }, Boolean(existing.data), by),
        ])
        .go(),
    (index) =>
      index === 0
        ? rule(`${email} is already an external admin here`, 'already-external-admin')
        : index === 1
          ? rule(`${email} is a member of this customer: its own members need no external administration`, 'own-member')
          : index === 2
            ? new NotFoundError(`Org ${orgId} was not found`)
            : invitedMeanwhile(),
  );
  return toExternalAdminView(item);
};

/** The grant is read alongside the authorization but judged after it, so nobody out of scope learns who holds one. */
const authorizeOnExternalAdmin = async (access: AccessRequest, orgId: string, userId: string) => {
  const [authorized, found] = await Promise.all([authorizeOn(access, orgId), ExternalAdminEntity.get({ userId, orgId }).go()]);
  if (!found.data || !isLive(found.data)) throw notAnExternalAdmin(userId);
  return { ...authorized, current: found.data };
};

/** Whether the user still gets into the org (its restricted summary counts) once this grant is gone. */
const keepsAccessWithout = async (current: ExternalAdminItem, org: OrgItem): Promise<boolean> => {
  const grants = await loadGrants({ principalId: current.userId, principalType: 'user' });
  const rest = grants.filter((grant) => !(grant.kind === 'external-admin' && grant.orgId === current.orgId));
  return decide(rest, org, 'org:read').allowed;
};

/**
 * Ends an external administrator's grant: gone on their next request, a
 * tombstone records who ended it. Nobody may take away a role carrying more
 * than they hold there. With `dryRun`, says whether the user would lose
 * access to the customer (not when another grant still gets them in) and
 * writes nothing.
 */
export const removeExternalAdmin = async (
  access: AccessRequest,
  orgId: string,
  userId: string,
  options: { ifMatch: number | null; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<DryRunReport | null> => {
  const { org, grants, current } = await authorizeOnExternalAdmin(access, orgId, userId);
  const expected = assertVersion(current.version, options.ifMatch);
  assertMayAssign(grants, org, current.role, 'change');
  if (options.dryRun) {
    const keeps = await keepsAccessWithout(current, org);
    return dryRunReport({
      usersLosingAccess: keeps ? [] : [{ userId, email: current.email, orgId, via: 'external-admin' }],
    });
  }
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write(({ externalAdmin, tombstone }) => [
          externalAdmin
            .delete({ userId, orgId })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          tombstone.put(tombstoneFor(ExternalAdminEntity.delete({ userId, orgId }), current, 'externalAdmin', org, by)).commit(),
        ])
        .go(),
    () => changedMeanwhile('external admin', options.ifMatch),
  );
  return null;
};
