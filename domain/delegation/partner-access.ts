import { partnerAccessLosses } from '../access/access-losses.ts';
import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { isBuiltInAdmin } from '../access/built-in-admins.ts';
import type { Actor } from '../access/caller.ts';
import { type DryRunReport, dryRunReport, type RuleViolation } from '../access/dry-run.ts';
import { roleGrants } from '../access/roles.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { type OrgView, toOrgView } from '../orgs/org-view.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { ConflictError, ForbiddenError, PreconditionFailedError } from '../shared/errors.ts';
import { ImpersonationEntity, type ImpersonationItem } from './impersonation.entity.ts';

/** Sessions last at most this long, so only sessions started this recently can still be running. */
export const maxSessionMinutes = 60;

/** The sessions running in a customer now: one Query on the customer's sessions of the last hour. */
export const activeSessionsOf = async (customerId: string, now: number = Date.now()): Promise<ImpersonationItem[]> => {
  const since = new Date(now - maxSessionMinutes * 60_000).toISOString();
  const { data } = await ImpersonationEntity.query.sessionsOfCustomer({ customerId }).gte({ startedAt: since }).go({ limit: 1000 });
  return data.filter((session) => session.endedAt === undefined && Date.parse(session.endsAt) > now);
};

const rule = (message: string, name: string) => new ConflictError(message, { extensions: { rule: name } });

const violationsOf = (org: OrgItem, enabled: boolean): RuleViolation[] =>
  !enabled && (org.builtInAdmins ?? 0) < 1
    ? [{ rule: 'no-built-in-admin', message: 'Partner access can be switched off only while the customer has a built-in administrator' }]
    : [];

export interface PartnerAccessChange {
  enabled: boolean;
}

/**
 * Switches a customer's partner access on or off. Only the customer's own
 * administrators may (for a partner's internal domain, its built-in
 * administrators); never anyone from above. Off needs a built-in
 * administrator to exist (checked in the transaction, against the count the
 * membership writes keep) and ends every running impersonation session in the
 * same transaction; on again restores inherited access without re-granting
 * anything, and ended sessions stay ended. With `dryRun`, reports who would
 * lose access (see `partnerAccessLosses`), the sessions that would end and
 * any rule it would break, and writes nothing.
 */
export const setPartnerAccess = async (
  access: AccessRequest,
  customerId: string,
  change: PartnerAccessChange,
  options: { ifMatch: number | null; dryRun?: boolean | undefined },
  actor: Actor,
): Promise<OrgView | DryRunReport> => {
  const [{ org, grants }, sessions] = await Promise.all([authorizeOn(access, customerId), activeSessionsOf(customerId)]);
  // Whatever else reaches it, only a membership held at the customer itself may switch it.
  const ownAdmin = grants.some(
    (grant) =>
      grant.kind === 'membership' &&
      grant.orgId === customerId &&
      roleGrants(grant.role, 'partner-access:write') &&
      (org.customerType !== 'internal' || isBuiltInAdmin(grant)),
  );
  if (!ownAdmin) {
    throw new ForbiddenError(
      org.customerType === 'internal'
        ? 'Only the built-in administrators of this internal domain may switch partner access'
        : 'Only the customer’s own administrators may switch partner access',
      { extensions: { rule: 'own-admins-only' } },
    );
  }
  const expected = assertVersion(org.version, options.ifMatch);
  if (org.kind !== 'customer')
    throw rule('Only a customer (or a partner’s internal domain) has partner access to switch', 'customers-only');
  const ending = change.enabled ? [] : sessions;
  const violations = violationsOf(org, change.enabled);
  if (options.dryRun) {
    // Read only here: the switch itself needs none of it.
    const losses = change.enabled ? { named: [], aboveScope: 0 } : await partnerAccessLosses(org, grants);
    return dryRunReport({
      usersLosingAccess: losses.named,
      losingAccessAboveScope: losses.aboveScope,
      sessionsEnding: ending.map((session) => session.impersonationId),
      violations,
    });
  }
  const [violation] = violations;
  if (violation) throw rule(violation.message, violation.rule);
  if (org.partnerAccess === change.enabled) return toOrgView(org);
  if (ending.length > maxTransactionItems - 1)
    throw rule('Too many impersonation sessions are running here; end some first', 'too-many-sessions');
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  await transact(
    () =>
      db.transaction
        .write(({ org: orgs, impersonation }) => [
          orgs
            .update({ orgId: customerId })
            .set({ partnerAccess: change.enabled, version: expected + 1, updatedAt: now, writtenBy: by })
            .where((attr, { eq, gte }) =>
              change.enabled ? eq(attr.version, expected) : `${eq(attr.version, expected)} AND ${gte(attr.builtInAdmins, 1)}`,
            )
            .commit(),
          ...ending.map((session) =>
            impersonation
              .patch({ impersonationId: session.impersonationId })
              .set({ endedAt: now, endReason: 'partner-access-off', version: session.version + 1, writtenBy: by })
              .where((attr, { notExists }) => notExists(attr.endedAt))
              .commit(),
          ),
        ])
        .go(),
    (index) =>
      index === 0
        ? options.ifMatch !== null
          ? new PreconditionFailedError('The org changed since the version named in If-Match')
          : rule('The org changed while switching (another admin may have just left); read it again and retry', 'changed')
        : rule('A session ended while switching; try again', 'changed'),
  );
  return toOrgView({ ...org, partnerAccess: change.enabled, version: expected + 1, updatedAt: now, writtenBy: by });
};
