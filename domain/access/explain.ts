import { type AccessRequest, authorizeOn } from './authorize.ts';
import { decide, grantLabel, visibleFrom } from './decide.ts';
import { type Grant, loadGrants } from './grants.ts';
import type { Permission } from './permissions.ts';
import type { RoleName } from './roles.ts';

export interface Explanation {
  allowed: boolean;
  reason: string;
  /** Null when denied, or when the allowing grant is held above what the asker can see. */
  grant: { kind: Grant['kind']; orgId: string; role: RoleName } | null;
  rule: string | null;
}

const hidden = 'a grant held above your scope';

/**
 * Whether `userId` holds `permission` on the org, with the grant that allows
 * it or the rule that denies it. The same `decide` the API enforces with, so
 * the explanation cannot drift from the behaviour. Grants held at orgs the
 * asker cannot see are named only as such: explaining access never reveals
 * who holds what above the asker's own scope.
 */
export const explainAccess = async (
  access: AccessRequest,
  orgId: string,
  subject: { userId: string; permission: Permission },
): Promise<Explanation> => {
  const [{ org, grants: askerGrants }, subjectGrants] = await Promise.all([
    authorizeOn(access, orgId),
    loadGrants({ principalId: subject.userId, principalType: 'user' }),
  ]);
  const visible = new Set(visibleFrom(askerGrants, org));
  const label = (grant: Grant) => (visible.has(grant.orgId) ? grantLabel(grant) : hidden);
  const decision = decide(subjectGrants, org, subject.permission);
  if (decision.allowed) {
    const { grant } = decision;
    return visible.has(grant.orgId)
      ? { allowed: true, reason: decision.reason, grant: { kind: grant.kind, orgId: grant.orgId, role: grant.role }, rule: null }
      : { allowed: true, reason: `allowed by ${hidden}`, grant: null, rule: null };
  }
  if (decision.rule === 'out-of-scope') return { allowed: false, reason: decision.reason, grant: null, rule: decision.rule };
  const labels = [...new Set(decision.covering.map(label))];
  return { allowed: false, reason: `${labels.join(', ')} does not carry ${subject.permission}`, grant: null, rule: decision.rule };
};
