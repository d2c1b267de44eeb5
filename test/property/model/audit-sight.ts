import type { Model, ModelGrant, Principal } from './model.ts';
import { type Permission, roleCarries } from './rules.ts';

/**
 * Whether a principal may read an entry of `orgId` written while the org
 * stood at `recordedPath` (an audit entry's orgPath): memberships and keys
 * reach it from the orgs of that path; a service assignment while the org is
 * in the service and the path puts it right under the owner; the other
 * grants as they reach it today. The org's restriction of today applies (a
 * customer that switched partner access off hides its past too); a deleted
 * org is open and in no service.
 */
export const readsAsRecorded = (
  model: Model,
  principal: Principal | null,
  orgId: string,
  recordedPath: string,
  permission: Permission,
): boolean => {
  const lineage = recordedPath.split('/').filter(Boolean);
  const org = model.org(orgId);
  const reaches = (grant: ModelGrant): boolean => {
    switch (grant.kind) {
      case 'membership':
      case 'api-key':
        return lineage.includes(grant.orgId);
      case 'service': {
        const service = model.services.get(grant.serviceId);
        return grant.orgId === orgId && org !== undefined && service?.accounts.has(orgId) === true && lineage.at(-2) === service.ownerOrgId;
      }
      default:
        return org !== undefined && model.reaches(grant, orgId);
    }
  };
  const covering = model.grantsOf(principal).filter(reaches);
  const admitted = org?.partnerAccess === false ? covering.filter((grant) => model.isOwn(grant, orgId)) : covering;
  return admitted.some((grant) => roleCarries(grant.role, permission));
};
