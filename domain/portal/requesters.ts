import { randomBytes } from 'node:crypto';
import type { AccessRequest } from '../access/authorize.ts';
import { authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { UserEmailEntity } from '../access/user.entity.ts';
import { invitedMeanwhile, newUserWrites } from '../access/users.ts';
import { tombstoneFor } from '../db/deletion.ts';
import { db, orgStillExists } from '../db/service.ts';
import { isConditionalCheckFailure, transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { type Invitation, inviteUser } from '../directory/directory.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ClientPermission } from './client-permissions.ts';
import { resolvePortalRole } from './portal-roles.ts';
import { RequesterEntity, type RequesterItem } from './requester.entity.ts';

export interface RequesterView {
  userId: string;
  email: string;
  customerId: string;
  portalRole: string;
  permissions: ClientPermission[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const toRequesterView = (item: RequesterItem): RequesterView => ({
  userId: item.userId,
  email: item.email,
  customerId: item.customerId,
  portalRole: item.portalRole,
  permissions: item.permissions as ClientPermission[],
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

/** How the new requester hears of it: the user pool's email in AWS, or (locally) a token from `POST /local/token`. */
export type InvitationOutcome = 'email-sent' | 'already-registered' | 'local-token' | 'failed';

const outcomeOf = (invitation: Invitation): InvitationOutcome =>
  invitation.channel === 'none' ? 'local-token' : invitation.created ? 'email-sent' : 'already-registered';

const requesterNotFound = (userId: string) => new NotFoundError(`User ${userId} is not a requester here`);

const customersOnly = () =>
  new ConflictError('Requesters belong to customers: this org is not one', { extensions: { rule: 'customers-only' } });

/** The requesters of a customer: one Query per page alongside the authorization round. */
export const listRequesters = async (
  access: AccessRequest,
  customerId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<RequesterView>> => {
  const binding = JSON.stringify(['requesters', customerId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizeOn(access, customerId),
    RequesterEntity.query.requestersOfCustomer({ customerId }).go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  return { items: page.data.map(toRequesterView), nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

export interface NewRequester {
  email: string;
  portalRole: string;
}

/**
 * Adds one of a customer's people (by email) to its client portal with a
 * portal role, whose permissions are copied onto the grant. A person nobody
 * has invited yet becomes a user in the same transaction. Then the person is
 * invited (a user-pool invitation in AWS); the grant stands whatever the
 * invitation's outcome, which the reply reports.
 */
export const addRequester = async (
  access: AccessRequest,
  customerId: string,
  input: NewRequester,
  actor: Actor,
): Promise<RequesterView & { invitation: InvitationOutcome }> => {
  const email = input.email.trim().toLowerCase();
  const [{ org }, existing] = await Promise.all([authorizeOn(access, customerId), UserEmailEntity.get({ email }).go()]);
  if (org.kind !== 'customer') throw customersOnly();
  const role = await resolvePortalRole(org.parentId, input.portalRole);
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const userId = existing.data?.userId ?? newId('usr');
  const item: RequesterItem = {
    userId,
    customerId,
    email,
    portalRole: role.name,
    permissions: role.permissions,
    linkId: randomBytes(8).toString('hex'),
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write(({ requester, user, userEmail, org: orgs }) => [
          requester.create(item).commit(),
          orgStillExists(orgs, customerId),
          ...newUserWrites({ user, userEmail }, { userId, email }, Boolean(existing.data), by),
        ])
        .go(),
    (index) =>
      index === 0
        ? new ConflictError(`${email} is already a requester here`, { extensions: { rule: 'already-requester' } })
        : index === 1
          ? new NotFoundError(`Org ${customerId} was not found`)
          : invitedMeanwhile(),
  );
  const invitation = await inviteUser(email).then(outcomeOf, () => 'failed' as const);
  return { ...toRequesterView(item), invitation };
};

/** The requester is read alongside the authorization and judged after it, so nobody learns who is a requester without the right. */
const authorizeOnRequester = async (access: AccessRequest, customerId: string, userId: string) => {
  const [{ org }, current] = await Promise.all([authorizeOn(access, customerId), RequesterEntity.get({ userId, customerId }).go()]);
  if (!current.data) throw requesterNotFound(userId);
  return { org, current: current.data };
};

/** Gives a requester another portal role; its permissions are copied afresh. Asset mappings stay (same grant). */
export const updateRequester = async (
  access: AccessRequest,
  customerId: string,
  userId: string,
  change: { portalRole: string },
  ifMatch: number | null,
  actor: Actor,
): Promise<RequesterView> => {
  const { org, current } = await authorizeOnRequester(access, customerId, userId);
  const expected = assertVersion(current.version, ifMatch);
  const role = await resolvePortalRole(org.parentId, change.portalRole);
  const now = new Date().toISOString();
  const next: RequesterItem = {
    ...current,
    portalRole: role.name,
    permissions: role.permissions,
    updatedAt: now,
    version: expected + 1,
    writtenBy: writtenBy(actor, now),
  };
  try {
    await RequesterEntity.patch({ userId, customerId })
      .set({ portalRole: next.portalRole, permissions: next.permissions, updatedAt: now, version: next.version, writtenBy: next.writtenBy })
      .where((attr, { eq }) => eq(attr.version, expected))
      .go();
  } catch (error) {
    if (isConditionalCheckFailure(error)) throw changedMeanwhile('requester', ifMatch);
    throw error;
  }
  return toRequesterView(next);
};

/**
 * Removes a requester from a customer's portal: the grant (and with it every
 * asset mapping made for it) ends on the person's next call. A tombstone
 * records who removed it.
 */
export const removeRequester = async (
  access: AccessRequest,
  customerId: string,
  userId: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<void> => {
  const { org, current } = await authorizeOnRequester(access, customerId, userId);
  const expected = assertVersion(current.version, ifMatch);
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write(({ requester, tombstone }) => [
          requester
            .delete({ userId, customerId })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          tombstone.put(tombstoneFor(RequesterEntity.delete({ userId, customerId }), current, 'requester', org, by)).commit(),
        ])
        .go(),
    () => changedMeanwhile('requester', ifMatch),
  );
};
