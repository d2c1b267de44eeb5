import { accessLosses } from '../access/access-losses.ts';
import type { AccessRequest } from '../access/authorize.ts';
import { assertAllowedOn } from '../access/authorize.ts';
import { reaches } from '../access/decide.ts';
import { type DryRunReport, dryRunReport, type RuleViolation, violationOf } from '../access/dry-run.ts';
import { loadGrants } from '../access/grants.ts';
import { relocate, rule, subtreeRefusal } from './move.ts';
import { moveInProgress } from './move-job.ts';
import { OrgNameEntity } from './org.entity.ts';
import { OrgPath } from './org-path.ts';
import { readOrg } from './org-store.ts';
import { assertVersion } from './orgs.ts';

/**
 * `POST …/move?dryRun=true`: what the move would do, writing nothing. The
 * rule that would refuse it (the same checks, in the same order, plus the
 * sibling name the transaction would find taken); who reaches the org now
 * and would not under its new parent (members and API keys of the ancestors
 * it leaves, the service assignments to it, since a service reaches only
 * direct children of its owner, sessions whose technician would lose
 * `impersonate` there); the org as a service account, when it is one. The
 * same people lose its subtree: grants held inside the subtree move with it.
 */
export const moveDryRun = async (
  access: AccessRequest,
  orgId: string,
  newParentId: string,
  ifMatch: number | null,
): Promise<DryRunReport> => {
  const [found, target, grants] = await Promise.all([readOrg(orgId), readOrg(newParentId), loadGrants(access.caller)]);
  const org = assertAllowedOn(grants, found, orgId, access.permission);
  assertVersion(org.version, ifMatch);
  const newParent = assertAllowedOn(grants, target, newParentId, access.permission);
  const refuse = (violation: RuleViolation) => dryRunReport({ violations: [violation] });
  if (!org.parentId) return refuse(violationOf(rule('The platform root cannot be moved', 'root')));
  if (org.moveId) return refuse(violationOf(moveInProgress(org.moveId)));
  if (newParent.moveId) return refuse(violationOf(moveInProgress(newParent.moveId)));
  if (OrgPath.isAncestorOrSelf(orgId, newParent.path))
    return refuse(violationOf(rule('An org cannot move under itself or its own subtree', 'cycle')));
  if (org.parentId === newParentId) return dryRunReport({});
  const [{ refusal }, sibling] = await Promise.all([
    subtreeRefusal(org, newParent),
    OrgNameEntity.get({ parentId: newParentId, nameKey: org.nameKey }).go(),
  ]);
  const violations: RuleViolation[] = [];
  if (refusal) violations.push(violationOf(refusal));
  if (sibling.data) violations.push(violationOf(rule(`An org named "${org.name}" already exists under ${newParentId}`, 'unique-name')));
  const after = { ...relocate(org, org, newParent.path), parentId: newParentId };
  const losses = await accessLosses(org, after, grants);
  const sessionsEnding = losses.holders.flatMap((holder) =>
    holder.grant.kind === 'impersonation' && reaches(holder.grant, org) && !reaches(holder.grant, after)
      ? [holder.grant.impersonationId]
      : [],
  );
  return dryRunReport({
    usersLosingAccess: losses.named,
    losingAccessAboveScope: losses.aboveScope,
    accountsAffected: (org.serviceLinks ?? []).length > 0 ? [orgId] : [],
    sessionsEnding,
    violations,
  });
};
