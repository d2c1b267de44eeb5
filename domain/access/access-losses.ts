import type { OrgItem } from '../orgs/org.entity.ts';
import { type AccessHolder, accessSourcesOf, reachingHolders, readAll, withImpersonators } from './access-sources.ts';
import { admittedGrants, visibleFrom } from './decide.ts';
import type { AccessLoss } from './dry-run.ts';
import type { Grant } from './grants.ts';

export interface PartnerAccessLosses {
  /** Those the asker may see, each once, by the first grant of theirs the asker may see. */
  named: AccessLoss[];
  /** Those whose every grant is held above the asker's sight. */
  aboveScope: number;
}

/** The person behind a grant: a session is its impersonator's access. */
const personOf = (holder: AccessHolder): string =>
  holder.grant.kind === 'impersonation' ? holder.grant.impersonatorId : holder.principalId;

/**
 * Who would lose access if the customer switched partner access off: everyone
 * whose access is effective now only through grants from outside (memberships
 * above, external administrators, service assignments, impersonation sessions,
 * API keys); its own members keep theirs. Reads every source of the org's
 * access listing to its end, so it is for dry runs only. Named as the access
 * listing names them: people whose every grant is held above the asker's
 * sight are counted, not named.
 */
export const partnerAccessLosses = async (
  org: OrgItem,
  askerGrants: readonly Grant[],
  now: number = Date.now(),
): Promise<PartnerAccessLosses> => {
  if (org.partnerAccess === false) return { named: [], aboveScope: 0 };
  const read = await Promise.all(accessSourcesOf(org, now).map(readAll));
  const all = read.flat();
  await withImpersonators(all);
  const holders = reachingHolders(all, org, now);
  const restricted: OrgItem = { ...org, partnerAccess: false };
  const byPerson = new Map<string, AccessHolder[]>();
  for (const holder of holders) byPerson.set(personOf(holder), [...(byPerson.get(personOf(holder)) ?? []), holder]);
  const losing = new Set(
    [...byPerson]
      .filter(
        ([, held]) =>
          admittedGrants(
            held.map((holder) => holder.grant),
            org,
            now,
          ).length > 0,
      )
      .filter(
        ([, held]) =>
          admittedGrants(
            held.map((holder) => holder.grant),
            restricted,
            now,
          ).length === 0,
      )
      .map(([person]) => person),
  );
  const visible = new Set(visibleFrom(askerGrants, org, now));
  const named: AccessLoss[] = [];
  for (const holder of holders) {
    const person = personOf(holder);
    if (!losing.has(person) || !visible.has(holder.grant.orgId) || named.some((loss) => loss.userId === person)) continue;
    named.push({ userId: person, email: holder.email, orgId: org.orgId, via: holder.grant.kind });
  }
  return { named, aboveScope: losing.size - named.length };
};
