import type { Caller } from '../access/caller.ts';
import { loadGrants } from '../access/grants.ts';
import { readOrgs } from '../orgs/org-store.ts';
import type { ClientPermission } from './client-permissions.ts';
import { RequesterEntity } from './requester.entity.ts';

export interface CompanyView {
  customerId: string;
  customerName: string;
  portalRole: string;
  permissions: ClientPermission[];
}

/** Nobody is a requester of this many customers; one Query page holds them all. */
const maxCompanies = 200;

/**
 * The customers whose portal the caller may use, with its role in each: one
 * Query on the caller's own partition (requester grants only), then one
 * BatchGet for the names. A client switches company by naming another
 * customer in the path of its next call; nothing is stored about a "current"
 * one. API keys and impersonation sessions belong to no company; a session
 * that has ended is still a 401 here, as on every call (its grants are read
 * for that: one GetItem and one Query).
 */
export const listMyCompanies = async (caller: Caller): Promise<{ items: CompanyView[] }> => {
  if (caller.principalType === 'impersonation') await loadGrants(caller);
  if (caller.principalType !== 'user' || !caller.principalId) return { items: [] };
  const { data } = await RequesterEntity.query.byPrincipal({ userId: caller.principalId }).go({ limit: maxCompanies });
  const orgs = await readOrgs(data.map((item) => item.customerId));
  return {
    items: data.flatMap((item) => {
      const org = orgs.get(item.customerId);
      return org
        ? [
            {
              customerId: item.customerId,
              customerName: org.name,
              portalRole: item.portalRole,
              permissions: item.permissions as ClientPermission[],
            },
          ]
        : [];
    }),
  };
};
