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
  // A deleted org keeps no grant of its own (no service link, no external admin, no session): only the path's reach it.
  const reaches = (grant: ModelGrant): boolean =>
    (grant.kind === 'membership' || grant.kind === 'api-key' || org !== undefined) && model.reaches(grant, orgId, lineage);
  const covering = model.grantsOf(principal).filter(reaches);
  const admitted = org?.partnerAccess === false ? covering.filter((grant) => model.isOwn(grant, orgId)) : covering;
  return admitted.some((grant) => roleCarries(grant.role, permission));
};
