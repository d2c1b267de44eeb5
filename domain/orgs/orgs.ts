import type { AccessRequest } from '../access/authorize.ts';
import { authorizeOn, enforce } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { MembershipEntity } from '../access/membership.entity.ts';
import { subscriptionChangeEvent } from '../billing/billing-events.ts';
import { tombstoneFor } from '../db/deletion.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { type WrittenBy, writtenBy } from '../db/written-by.ts';
import { ApiKeyEntity } from '../delegation/api-key.entity.ts';
import { ExternalAdminEntity } from '../delegation/external-admin.entity.ts';
import { deleteOrgDetailsWrites, inheritanceFor, inheritedConfigWrites, maxDetailWrites, readOrgDetails } from '../partners/org-details.ts';
import { RequesterEntity } from '../portal/requester.entity.ts';
import { ConflictError, changedMeanwhile, PreconditionFailedError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import {
  type CreatableKind,
  type CustomerType,
  maxDepth,
  mayHoldChild,
  maySubscriptionMove,
  type OrgStatus,
  type SubscriptionState,
} from './kinds.ts';
import { moveInProgress } from './move-job.ts';
import { newOrgItem } from './new-org-item.ts';
import { OrgEntity, type OrgItem } from './org.entity.ts';
import { OrgPath } from './org-path.ts';
import { nameKeyOf, type OrgView, type RestrictedOrgView, toOrgView, viewAs } from './org-view.ts';

type TransactionEntities = Parameters<Parameters<typeof db.transaction.write>[0]>[0];
type TransactionItems = ReturnType<Parameters<typeof db.transaction.write>[0]>;

export interface NewChildOrg {
  kind: CreatableKind;
  name: string;
  customerType?: CustomerType | undefined;
  subscriptionState?: 'trial' | 'active' | undefined;
}

/** Fails with 412 when the client named a version that is no longer current. */
export const assertVersion = (current: number, ifMatch: number | null): number => {
  if (ifMatch !== null && ifMatch !== current) {
    throw new PreconditionFailedError(`The resource is at version ${current}, not ${ifMatch}`, { extensions: { currentVersion: current } });
  }
  return current;
};

/**
 * One org by id, if the caller may read it: one round trip (org and grants in
 * parallel). A customer that switched partner access off is shown from above
 * as its restricted summary.
 */
export const getOrg = async (access: AccessRequest, orgId: string): Promise<OrgView | RestrictedOrgView> => {
  const { org, decision } = await authorizeOn(access, orgId);
  return viewAs(org, decision);
};

/** More writes for a child org's creating transaction (see `insertChildOrg`). */
export interface ChildOrgExtras {
  /** Placed first in the transaction, so their condition failures are the ones reported. */
  writes: (entities: TransactionEntities, created: { orgId: string; by: WrittenBy }) => TransactionItems;
  /** Names the rule behind a condition failure among `writes`, by index. */
  onConditionFailed: (index: number) => Error;
  /** Attributes the new org item starts with (say, the built-in administrator created with it). */
  item?: Partial<OrgItem>;
}

/**
 * Creates a channel, partner or customer under `parentId`. The kind rule, the
 * depth bound and name uniqueness among siblings are enforced in one
 * transaction that also checks the parent has not moved or been suspended
 * since it was read, and counts the child on the parent. A customer starts
 * with a copy of its partner's configuration, written in the same transaction
 * (partners/org-details.ts); the partner's configuration is read beside the
 * authorization reads.
 */
export const createChildOrg = async (
  access: AccessRequest,
  parentId: string,
  input: NewChildOrg,
  actor: Actor,
  options: { orgId?: string; now?: Date } = {},
): Promise<OrgView> => {
  const [{ org: parent }, inherited] = await Promise.all([authorizeOn(access, parentId), inheritanceFor(input.kind, parentId)]);
  return insertChildOrg(parent, input, actor, {
    ...options,
    extras: {
      writes: (entities, created) => inheritedConfigWrites(entities, inherited, created.orgId, created.by),
      onConditionFailed: () => new ConflictError('The new org already has a configuration'),
    },
  });
};

/**
 * The creation itself, once the caller is known to be allowed on `parent`
 * (createChildOrg, or a programme application's approval): the rules, then one
 * transaction holding the org, its sibling-name item, the parent's child
 * count and `extras`.
 */
export const insertChildOrg = async (
  parent: OrgItem,
  input: NewChildOrg,
  actor: Actor,
  options: { orgId?: string; now?: Date; extras?: ChildOrgExtras } = {},
): Promise<OrgView> => {
  const parentId = parent.orgId;
  if (input.kind !== 'customer' && (input.customerType || input.subscriptionState)) {
    throw new ValidationError('Only customers have a customer type or a subscription', {
      errors: [
        {
          path: input.customerType ? 'body.customerType' : 'body.subscriptionState',
          message: 'customers only',
        },
      ],
    });
  }
  if (!mayHoldChild(parent.kind, input.kind)) {
    throw new ConflictError(`A ${parent.kind} cannot hold a ${input.kind}`, {
      extensions: { rule: 'kind' },
    });
  }
  if (parent.depth + 1 > maxDepth) {
    throw new ConflictError(`The hierarchy is at most ${maxDepth} levels deep`, { extensions: { rule: 'depth' } });
  }
  if (parent.status !== 'active') {
    throw new ConflictError('A suspended org cannot take new children', {
      extensions: { rule: 'parent-suspended' },
    });
  }
  const now = (options.now ?? new Date()).toISOString();
  const orgId = options.orgId ?? newId('org');
  const path = OrgPath.child(parent.path, orgId);
  const nameKey = nameKeyOf(input.name);
  const by = writtenBy(actor, now);
  const item: OrgItem = {
    ...newOrgItem({ orgId, kind: input.kind, name: input.name, parentId, path, by }),
    ...(input.kind === 'customer'
      ? { customerType: input.customerType ?? 'standard', subscriptionState: input.subscriptionState ?? 'trial', subscriptionSince: now }
      : {}),
    ...options.extras?.item,
  };
  let extraCount = 0;
  await transact(
    () =>
      db.transaction
        .write((entities) => {
          const extra = options.extras?.writes(entities, { orgId, by }) ?? [];
          extraCount = extra.length;
          const { org, orgName } = entities;
          return [
            ...extra,
            org.create(item).commit(),
            orgName.create({ parentId, nameKey, orgId, writtenBy: by }).commit(),
            org
              .update({ orgId: parentId })
              .add({ childCount: 1 })
              .set({ writtenBy: by })
              .where(
                (attr, { eq, notExists }) => `${eq(attr.path, parent.path)} AND ${eq(attr.status, 'active')} AND ${notExists(attr.moveId)}`,
              )
              .commit(),
          ];
        })
        .go(),
    (index) =>
      index < extraCount && options.extras
        ? options.extras.onConditionFailed(index)
        : index - extraCount === 1
          ? new ConflictError(`An org named "${input.name}" already exists here`, { extensions: { rule: 'unique-name' } })
          : index - extraCount === 2
            ? new ConflictError('The parent changed while the org was being created; try again')
            : new ConflictError(`Org ${orgId} already exists`),
  );
  return toOrgView(item);
};

export interface OrgChanges {
  name?: string | undefined;
  status?: OrgStatus | undefined;
  subscriptionState?: SubscriptionState | undefined;
}

/**
 * Renames, suspends or reactivates an org, or moves a customer's subscription
 * along its allowed transitions (which needs `billing:write`). A change of the
 * subscription alone needs `billing:write` only: it is billing, which billing
 * admins do, and which crosses a customer's partner-access restriction (the
 * partner keeps billing it). A rename swaps the sibling-name item in the
 * same transaction.
 */
export const updateOrg = async (
  access: AccessRequest,
  orgId: string,
  changes: OrgChanges,
  ifMatch: number | null,
  actor: Actor,
): Promise<OrgView> => {
  const subscriptionOnly = changes.subscriptionState !== undefined && changes.name === undefined && changes.status === undefined;
  const { org, grants } = await authorizeOn(subscriptionOnly ? { ...access, permission: 'billing:write' } : access, orgId);
  const expected = assertVersion(org.version, ifMatch);
  if (changes.subscriptionState !== undefined) {
    enforce(decide(grants, org, 'billing:write'), orgId);
    if (org.kind !== 'customer' || !org.subscriptionState) {
      throw new ValidationError('Only customers have a subscription', {
        errors: [{ path: 'body.subscriptionState', message: 'customers only' }],
      });
    }
    if (changes.subscriptionState !== org.subscriptionState && !maySubscriptionMove(org.subscriptionState, changes.subscriptionState)) {
      throw new ConflictError(`A subscription cannot go from ${org.subscriptionState} to ${changes.subscriptionState}`, {
        extensions: { rule: 'subscription-transition' },
      });
    }
  }
  if (changes.status !== undefined && org.kind === 'platform' && changes.status !== 'active') {
    throw new ConflictError('The platform root cannot be suspended', {
      extensions: { rule: 'root' },
    });
  }
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  const next: OrgItem = {
    ...org,
    ...(changes.name !== undefined ? { name: changes.name, nameKey: nameKeyOf(changes.name) } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
    ...(changes.subscriptionState !== undefined && changes.subscriptionState !== org.subscriptionState
      ? { subscriptionState: changes.subscriptionState, subscriptionSince: now }
      : {}),
    updatedAt: now,
    version: expected + 1,
    writtenBy: by,
  };
  // The customer's billing history records a subscription move in the same transaction.
  const event = subscriptionChangeEvent(org, changes.subscriptionState, by);
  // The root sits in no parent's children index, so it has no name key to keep in step.
  const inChildrenIndex = org.parentId !== '';
  const update = (orgs: TransactionEntities['org']) =>
    orgs
      .update({ orgId })
      .set({
        name: next.name,
        ...(inChildrenIndex ? { nameKey: next.nameKey } : {}),
        status: next.status,
        updatedAt: now,
        version: next.version,
        writtenBy: by,
        ...(next.subscriptionState ? { subscriptionState: next.subscriptionState } : {}),
        ...(next.subscriptionSince ? { subscriptionSince: next.subscriptionSince } : {}),
      })
      .composite(inChildrenIndex ? { kind: org.kind, parentId: org.parentId } : {})
      .where((attr, { eq }) => eq(attr.version, expected))
      .commit();
  const renamed = inChildrenIndex && next.nameKey !== org.nameKey;
  // A multi-step move re-keys the sibling-name item from the name it started with.
  if (renamed && org.moveId) throw moveInProgress(org.moveId);
  if (!renamed) {
    await transact(
      () =>
        db.transaction.write(({ org: orgs, billingEvent }) => [update(orgs), ...(event ? [billingEvent.create(event).commit()] : [])]).go(),
      () => changedMeanwhile('org', ifMatch),
    );
    return toOrgView(next);
  }
  const parentId = org.parentId;
  await transact(
    () =>
      db.transaction
        .write(({ org: orgs, orgName, billingEvent }) => [
          update(orgs),
          orgName
            .delete({ parentId, nameKey: org.nameKey })
            .where((attr, { eq }) => eq(attr.orgId, orgId))
            .commit(),
          orgName.create({ parentId, nameKey: next.nameKey, orgId, writtenBy: by }).commit(),
          ...(event ? [billingEvent.create(event).commit()] : []),
        ])
        .go(),
    (index) =>
      index === 2
        ? new ConflictError(`An org named "${next.name}" already exists here`, {
            extensions: { rule: 'unique-name' },
          })
        : changedMeanwhile('org', ifMatch),
  );
  return toOrgView(next);
};

/** Each deleted item takes two transaction slots (itself and its tombstone) beside the org's four and its details'. */
const maxMembersDeletedWithOrg = Math.floor((maxTransactionItems - 4 - maxDetailWrites) / 2);

/**
 * Deletes an org without children and without API keys. Its memberships,
 * external admins, a customer's requester grants in the client portal, its
 * profile and configuration go in the same transaction, so no grant outlives
 * the org it points at; each deleted item leaves a tombstone naming who
 * deleted it, for the audit log.
 */
export const deleteOrg = async (access: AccessRequest, orgId: string, ifMatch: number | null, actor: Actor): Promise<void> => {
  const [{ org }, members, externalAdmins, requesters, keys, details] = await Promise.all([
    authorizeOn(access, orgId),
    MembershipEntity.query.membersOfOrg({ orgId }).go({ limit: maxMembersDeletedWithOrg + 1 }),
    ExternalAdminEntity.query.externalAdminsOfOrg({ orgId }).go({ limit: maxMembersDeletedWithOrg + 1 }),
    RequesterEntity.query.requestersOfCustomer({ customerId: orgId }).go({ limit: maxMembersDeletedWithOrg + 1 }),
    ApiKeyEntity.query.keysOfOrg({ orgId }).go({ limit: 1 }),
    readOrgDetails(orgId),
  ]);
  const expected = assertVersion(org.version, ifMatch);
  if (org.kind === 'platform' || !org.parentId)
    throw new ConflictError('The platform root cannot be deleted', {
      extensions: { rule: 'root' },
    });
  if (org.childCount > 0)
    throw new ConflictError('Only an org without children can be deleted', {
      extensions: { rule: 'has-children' },
    });
  // A key is a credential someone holds: it is revoked on purpose (which also frees its usage-plan key), never swept away.
  if (keys.data.length > 0)
    throw new ConflictError('Revoke the API keys of this org first', {
      extensions: { rule: 'has-api-keys' },
    });
  // Invoices are financial records naming their customer: an invoiced customer is cancelled, never deleted.
  if ((org.invoiceCount ?? 0) > 0)
    throw new ConflictError('A customer that has been invoiced cannot be deleted', {
      extensions: { rule: 'has-invoices' },
    });
  const grantPages = [members, externalAdmins, requesters];
  if (grantPages.some((page) => page.cursor) || grantPages.reduce((sum, page) => sum + page.data.length, 0) > maxMembersDeletedWithOrg) {
    throw new ConflictError(
      `Remove some members first: at most ${maxMembersDeletedWithOrg} (external admins and portal requesters included) go with the org in one step`,
      {
        extensions: { rule: 'too-many-members' },
      },
    );
  }
  const parentId = org.parentId;
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write((entities) => {
          const { org: orgs, orgName, membership, externalAdmin, requester, tombstone } = entities;
          return [
            orgs
              .delete({ orgId })
              .where(
                (attr, { eq, notExists }) =>
                  `${eq(attr.version, expected)} AND ${eq(attr.childCount, 0)} AND (${notExists(attr.invoiceCount)} OR ${eq(attr.invoiceCount, 0)})`,
              )
              .commit(),
            tombstone.put(tombstoneFor(OrgEntity.delete({ orgId }), org, 'org', org, by)).commit(),
            orgName.delete({ parentId, nameKey: org.nameKey }).commit(),
            orgs.update({ orgId: parentId }).add({ childCount: -1 }).set({ writtenBy: by }).commit(),
            ...members.data.flatMap((member) => [
              membership
                .delete({ userId: member.userId, orgId })
                .where((attr, { eq }) => eq(attr.version, member.version))
                .commit(),
              tombstone
                .put(tombstoneFor(MembershipEntity.delete({ userId: member.userId, orgId }), member, 'membership', org, by))
                .commit(),
            ]),
            // No grant outlives its org: external admins (expired ones not yet removed by TTL too) go with it.
            ...externalAdmins.data.flatMap((grant) => [
              externalAdmin
                .delete({ userId: grant.userId, orgId })
                .where((attr, { eq }) => eq(attr.version, grant.version))
                .commit(),
              tombstone
                .put(tombstoneFor(ExternalAdminEntity.delete({ userId: grant.userId, orgId }), grant, 'externalAdmin', org, by))
                .commit(),
            ]),
            ...requesters.data.flatMap((grant) => [
              requester
                .delete({ userId: grant.userId, customerId: orgId })
                .where((attr, { eq }) => eq(attr.version, grant.version))
                .commit(),
              tombstone
                .put(tombstoneFor(RequesterEntity.delete({ userId: grant.userId, customerId: orgId }), grant, 'requester', org, by))
                .commit(),
            ]),
            ...deleteOrgDetailsWrites(entities, details, org, by),
          ];
        })
        .go(),
    () => changedMeanwhile('org', ifMatch),
  );
};
