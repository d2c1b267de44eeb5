import type { OrgKind } from '../orgs/kinds.ts';
import { readOrgs } from '../orgs/org-store.ts';
import type { Caller } from './caller.ts';
import { reaches } from './decide.ts';
import { type Grant, loadGrants } from './grants.ts';
import type { RoleName } from './roles.ts';

interface OrgNamed {
  orgId: string;
  orgName: string | null;
  orgKind: OrgKind | null;
}

export interface MeView {
  /** The person: for an impersonation session, the impersonator. Null for API keys and uninvited users. */
  userId: string | null;
  email: string | null;
  principalType: Caller['principalType'];
  memberships: (OrgNamed & { role: RoleName; builtIn: boolean })[];
  /** Access given from elsewhere: external administration of a customer, service accounts. */
  delegated: (OrgNamed & { kind: 'external-admin' | 'service'; role: RoleName; serviceId: string | null; expiresAt: string | null })[];
  /** Set when the request is made with an impersonation token. */
  impersonation: (OrgNamed & { id: string; impersonatorId: string; actingRole: RoleName; endsAt: string }) | null;
  /** Set when the request is made with an API key. */
  apiKey: (OrgNamed & { id: string; role: RoleName }) | null;
}

/** The caller with its grants and their org names: the grants' round trip, then one BatchGet for the names. */
export const describeMe = async (caller: Caller): Promise<MeView> => {
  const grants = await loadGrants(caller);
  const orgs = await readOrgs(grants.map((grant) => grant.orgId));
  const named = (orgId: string): OrgNamed => ({ orgId, orgName: orgs.get(orgId)?.name ?? null, orgKind: orgs.get(orgId)?.kind ?? null });
  const of = <K extends Grant['kind']>(kind: K) => grants.filter((grant): grant is Extract<Grant, { kind: K }> => grant.kind === kind);
  const [session] = of('impersonation');
  const [key] = of('api-key');
  return {
    userId:
      caller.principalType === 'impersonation'
        ? (caller.impersonatorId ?? null)
        : caller.principalType === 'user'
          ? caller.principalId || null
          : null,
    email: caller.email ?? null,
    principalType: caller.principalType,
    memberships: of('membership').map((grant) => ({ ...named(grant.orgId), role: grant.role, builtIn: grant.builtIn })),
    delegated: [
      ...of('external-admin').map((grant) => ({
        ...named(grant.orgId),
        kind: 'external-admin' as const,
        role: grant.role,
        serviceId: null,
        expiresAt: new Date(grant.expiresAt * 1000).toISOString(),
      })),
      // An assignment whose account left the service (or its owner) grants nothing: it is not listed.
      ...of('service')
        .filter((grant) => {
          const org = orgs.get(grant.orgId);
          return org !== undefined && reaches(grant, org);
        })
        .map((grant) => ({
          ...named(grant.orgId),
          kind: 'service' as const,
          role: grant.role,
          serviceId: grant.serviceId,
          expiresAt: null,
        })),
    ],
    impersonation: session
      ? {
          ...named(session.orgId),
          id: session.impersonationId,
          impersonatorId: session.impersonatorId,
          actingRole: session.role,
          endsAt: session.endsAt,
        }
      : null,
    apiKey: key ? { ...named(key.orgId), id: key.keyId, role: key.role } : null,
  };
};
