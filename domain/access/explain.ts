import { type AccessRequest, authorizeOn } from './authorize.ts';
import { decide } from './decide.ts';
import { loadGrants } from './grants.ts';
import type { Permission } from './permissions.ts';
import type { RoleName } from './roles.ts';

export interface Explanation {
  allowed: boolean;
  reason: string;
  grant: { kind: 'membership'; orgId: string; role: RoleName } | null;
  rule: string | null;
}

/**
 * Whether `userId` holds `permission` on the org, with the grant that allows
 * it or the rule that denies it. The same `decide` the API enforces with, so
 * the explanation cannot drift from the behaviour.
 */
export const explainAccess = async (
  access: AccessRequest,
  orgId: string,
  subject: { userId: string; permission: Permission },
): Promise<Explanation> => {
  const [{ org }, grants] = await Promise.all([
    authorizeOn(access, orgId),
    loadGrants({ principalId: subject.userId, principalType: 'user' }),
  ]);
  const decision = decide(grants, org, subject.permission);
  if (decision.allowed) {
    return {
      allowed: true,
      reason: decision.reason,
      grant: { kind: decision.grant.kind, orgId: decision.grant.orgId, role: decision.grant.role },
      rule: null,
    };
  }
  return { allowed: false, reason: decision.reason, grant: null, rule: decision.rule };
};
