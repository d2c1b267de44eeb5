import type { OrgKind } from '../orgs/kinds.ts';
import { readOrgs } from '../orgs/org-store.ts';
import type { Caller } from './caller.ts';
import { loadGrants } from './grants.ts';
import type { RoleName } from './roles.ts';

export interface MeView {
  userId: string | null;
  email: string | null;
  principalType: Caller['principalType'];
  memberships: {
    orgId: string;
    orgName: string | null;
    orgKind: OrgKind | null;
    role: RoleName;
    builtIn: boolean;
  }[];
  impersonation: null;
}

/** The caller with its memberships and their org names: one Query, then one BatchGet. */
export const describeMe = async (caller: Caller): Promise<MeView> => {
  const grants = await loadGrants(caller);
  const orgs = await readOrgs(grants.map((grant) => grant.orgId));
  return {
    userId: caller.principalId || null,
    email: caller.email ?? null,
    principalType: caller.principalType,
    memberships: grants.map((grant) => ({
      orgId: grant.orgId,
      orgName: orgs.get(grant.orgId)?.name ?? null,
      orgKind: orgs.get(grant.orgId)?.kind ?? null,
      role: grant.role,
      builtIn: grant.builtIn,
    })),
    impersonation: null,
  };
};
