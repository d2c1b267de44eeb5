import { isoOfSeconds } from '../delegation/external-admin-expiry.ts';
import { type AccessRequest, authorizeOn } from './authorize.ts';
import { decide, grantLabel, visibleFrom } from './decide.ts';
import type { Grant } from './grants.ts';
import type { Permission } from './permissions.ts';
import type { RoleName } from './roles.ts';
import { loadSubjectGrants } from './subject-grants.ts';

/** The grant an explanation names: its kind, where it is held, its role, and the id that names it. */
export interface GrantRef {
  kind: Grant['kind'];
  orgId: string;
  role: RoleName;
  serviceId?: string;
  impersonationId?: string;
  keyId?: string;
  /** External admins: when the grant ends; sessions: when the session does. */
  expiresAt?: string;
}

export interface Explanation {
  allowed: boolean;
  reason: string;
  /** Null when denied, or when the allowing grant is held above what the asker can see. */
  grant: GrantRef | null;
  rule: string | null;
}

const hidden = 'a grant held above your scope';

export const grantRefOf = (grant: Grant): GrantRef => {
  const ref = { kind: grant.kind, orgId: grant.orgId, role: grant.role };
  switch (grant.kind) {
    case 'external-admin':
      return { ...ref, expiresAt: isoOfSeconds(grant.expiresAt) };
    case 'service':
      return { ...ref, serviceId: grant.serviceId };
    case 'impersonation':
      return { ...ref, impersonationId: grant.impersonationId, expiresAt: grant.endsAt };
    case 'api-key':
      return { ...ref, keyId: grant.keyId };
    default:
      return ref;
  }
};

/** Who an explanation is about: a user (`userId`, or `principalId` = `usr_…`), an API key (`key_…`) or a session (`imp_…`). */
export interface ExplainSubject {
  userId?: string | undefined;
  principalId?: string | undefined;
  permission: Permission;
}

/**
 * Whether a principal holds `permission` on the org, with the grant that
 * allows it (of any kind: membership, external admin, service assignment,
 * impersonation session, API key; named with its id) or the rule that denies
 * it (`out-of-scope`, `missing-permission`, `partner-access-off` naming the
 * org whose restriction stops it, `session-ended`). The same `decide` the API
 * enforces with, so the explanation cannot drift from the behaviour. Grants
 * held at orgs the asker cannot see are named only as such: explaining access
 * never reveals who holds what above the asker's own scope.
 */
export const explainAccess = async (access: AccessRequest, orgId: string, subject: ExplainSubject): Promise<Explanation> => {
  const principalId = subject.principalId ?? subject.userId ?? '';
  const [{ org, grants: askerGrants }, { grants: subjectGrants, endedSessionAt }] = await Promise.all([
    authorizeOn(access, orgId),
    loadSubjectGrants(principalId),
  ]);
  const visible = new Set(visibleFrom(askerGrants, org));
  const label = (grant: Grant) => (visible.has(grant.orgId) ? grantLabel(grant) : hidden);
  const decision = decide(subjectGrants, org, subject.permission);
  if (decision.allowed) {
    const { grant } = decision;
    return visible.has(grant.orgId)
      ? { allowed: true, reason: decision.reason, grant: grantRefOf(grant), rule: null }
      : { allowed: true, reason: `allowed by ${hidden}`, grant: null, rule: null };
  }
  if (decision.rule === 'out-of-scope') {
    const session = subjectGrants.find((grant) => grant.kind === 'impersonation');
    if (endedSessionAt === orgId || session?.orgId === orgId) {
      const reason = `impersonation session ${principalId} no longer runs in ${orgId}: it ended, or its impersonator may no longer impersonate here`;
      return { allowed: false, reason, grant: null, rule: 'session-ended' };
    }
    return { allowed: false, reason: decision.reason, grant: null, rule: decision.rule };
  }
  const labels = [...new Set(decision.covering.map(label))].join(', ');
  if (decision.rule === 'partner-access-off') {
    return { allowed: false, reason: `${decision.reason} (stopped there: ${labels})`, grant: null, rule: decision.rule };
  }
  return { allowed: false, reason: `${labels} does not carry ${subject.permission}`, grant: null, rule: decision.rule };
};
