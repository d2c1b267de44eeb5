import { MembershipEntity } from '#domain/access/membership.entity';
import type { RoleName } from '#domain/access/roles';
import { writtenBy } from '#domain/db/written-by';
import { ApiKeyEntity } from '#domain/delegation/api-key.entity';
import { ExternalAdminEntity } from '#domain/delegation/external-admin.entity';
import { ImpersonationEntity } from '#domain/delegation/impersonation.entity';
import { ServiceAssignmentEntity, serviceLinkOf } from '#domain/delegation/service-assignment.entity';
import { OrgEntity } from '#domain/orgs/org.entity';
import { newId } from '#domain/shared/ids';
import { actor, unique } from './fixture.ts';

/**
 * Grants of the kinds whose routes other branches build (API keys, service
 * assignments, impersonation sessions), and external-admin items in states
 * the API never writes (already expired), written through their entities.
 */

const by = () => writtenBy(actor, new Date().toISOString());

/** An API key held at `orgId`; `validUntil` in the past makes it an expired one. */
export const apiKeyAt = async (orgId: string, role: RoleName, validUntil?: string) => {
  const keyId = newId('key');
  const now = new Date().toISOString();
  await ApiKeyEntity.create({
    keyId,
    orgId,
    name: unique('key '),
    role,
    secretHash: 'unused',
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by(),
    ...(validUntil ? { validUntil } : {}),
  }).go();
  return keyId;
};

/**
 * A service linking `accountId`, and assignments of users to it: the org's
 * `serviceLinks` gains `<serviceId>:<linkId>`, so the assignments grant access.
 */
export const serviceOn = async (accountId: string, providerOrgId: string, ownerOrgId: string, role: RoleName) => {
  const serviceId = newId('svc');
  const linkId = unique('lnk');
  await OrgEntity.update({ orgId: accountId })
    .add({ serviceLinks: [serviceLinkOf(serviceId, linkId)] })
    .set({ writtenBy: by() })
    .go();
  // An assignment holds while the membership of the provider it was made under lives: it carries that membership's start.
  const assign = async (userId: string, email: string, link = linkId) => {
    const membership = await MembershipEntity.get({ userId, orgId: providerOrgId }).go();
    await ServiceAssignmentEntity.create({
      memberSince: membership.data?.createdAt ?? 'no-membership',
      userId,
      serviceId,
      accountId,
      linkId: link,
      providerOrgId,
      ownerOrgId,
      role,
      email,
      createdAt: new Date().toISOString(),
      writtenBy: by(),
    }).go();
  };
  return { serviceId, linkId, assign };
};

/** An impersonation session of `impersonatorId` in `customerId`; `ended` makes one that was ended early. */
export const sessionIn = async (
  customerId: string,
  impersonatorId: string,
  impersonatorEmail: string,
  options: { ended?: boolean } = {},
) => {
  const impersonationId = newId('imp');
  const now = Date.now();
  await ImpersonationEntity.create({
    impersonationId,
    customerId,
    impersonatorId,
    impersonatorEmail,
    actingRole: 'customer-admin',
    reason: 'A test that needs a running session',
    startedAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 30 * 60_000).toISOString(),
    expiresAt: Math.floor(now / 1000) + 86_400,
    version: 1,
    writtenBy: by(),
    ...(options.ended ? { endedAt: new Date(now - 1000).toISOString(), endReason: 'ended' as const } : {}),
  }).go();
  return impersonationId;
};

/** An external-admin grant as the table holds it, with any expiry (a past one: expired, not yet removed by TTL). */
export const externalAdminItem = async (userId: string, email: string, orgId: string, role: RoleName, expiresAt: number) => {
  const now = new Date().toISOString();
  await ExternalAdminEntity.create({
    userId,
    orgId,
    email,
    role,
    expiresAt,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: by(),
  }).go();
};
