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
 * Who reaches `org` now and would not once it became `after` (the same org
 * restricted, or moved under another parent): everyone whose grants are
 * admitted there now and none of them would be. Reads every source of the
 * access listing of both to its end, so it is for dry runs only. Named as the
 * access listing names them: people whose every grant is held above the
 * asker's sight are counted, not named.
 */
export const accessLosses = async (
  org: OrgItem,
  after: OrgItem,
  askerGrants: readonly Grant[],
  now: number = Date.now(),
): Promise<PartnerAccessLosses & { holders: AccessHolder[] }> => {
  const sources = new Map([...accessSourcesOf(org, now), ...accessSourcesOf(after, now)].map((source) => [source.key, source]));
  const holders = (await Promise.all([...sources.values()].map(readAll))).flat();
  await withImpersonators(holders);
  const byPerson = new Map<string, AccessHolder[]>();
  for (const holder of holders) byPerson.set(personOf(holder), [...(byPerson.get(personOf(holder)) ?? []), holder]);
  const admittedAt = (held: readonly AccessHolder[], target: OrgItem) =>
    admittedGrants(
      held.map((holder) => holder.grant),
      target,
      now,
    ).length > 0;
  const losing = new Set([...byPerson].filter(([, held]) => admittedAt(held, org) && !admittedAt(held, after)).map(([person]) => person));
  const visible = new Set(visibleFrom(askerGrants, org, now));
  const named: AccessLoss[] = [];
  for (const holder of reachingHolders(holders, org, now)) {
    const person = personOf(holder);
    if (!losing.has(person) || !visible.has(holder.grant.orgId) || named.some((loss) => loss.userId === person)) continue;
    named.push({ userId: person, email: holder.email, orgId: org.orgId, via: holder.grant.kind });
  }
  return { named, aboveScope: losing.size - named.length, holders };
};

/**
 * Who would lose access if the customer switched partner access off: everyone
 * whose access is effective now only through grants from outside (memberships
 * above, external administrators, service assignments, impersonation sessions,
 * API keys); its own members keep theirs.
 */
export const partnerAccessLosses = async (
  org: OrgItem,
  askerGrants: readonly Grant[],
  now: number = Date.now(),
): Promise<PartnerAccessLosses> => {
  if (org.partnerAccess === false) return { named: [], aboveScope: 0 };
  const { named, aboveScope } = await accessLosses(org, { ...org, partnerAccess: false }, askerGrants, now);
  return { named, aboveScope };
};
