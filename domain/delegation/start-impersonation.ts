import { type AccessRequest, authorizeOn } from '../access/authorize.ts';
import { type Actor, impersonationRole } from '../access/caller.ts';
import type { RoleName } from '../access/roles.ts';
import { getUser } from '../access/users.ts';
import { db } from '../db/service.ts';
import { maxTransactionItems, transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { ConflictError, ForbiddenError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { signImpersonationToken } from './impersonation-token.ts';
import { activeSessionsOf, maxSessionMinutes } from './partner-access.ts';

/** How long a session's record (and its list entries) stays after its end: as long as the audit keeps its entries. */
export const sessionRetentionDays = 400;

export interface StartImpersonationInput {
  reason: string;
  minutes: number;
  ticket?: string | undefined;
}

export interface StartedSession {
  id: string;
  /** The bearer token that acts as the session; shown in this answer only (and in its Idempotency-Key replay). */
  token: string;
  startedAt: string;
  expiresAt: string;
  customerId: string;
  actingRole: RoleName;
  /** The caller's own sessions in this customer that this start ended (`replaced`). */
  replacedSessionIds: string[];
}

const usersOnly = () =>
  new ForbiddenError(
    'Only a person signed in as themselves may start an impersonation session: API keys and impersonation sessions never may',
    {
      extensions: { rule: 'users-only' },
    },
  );

const changed = () =>
  new ConflictError('Another of your sessions here changed while this one started; try again', { extensions: { rule: 'changed' } });

/**
 * Starts a "Login As" session: the caller acts in one customer with the
 * customer's admin role until `minutes` have passed or the session is ended.
 * Needs `impersonate` on the customer (decide, so a customer that switched
 * partner access off refuses it) and a person behind it: an API key or an
 * impersonation token in scope is refused with `users-only`, whatever its
 * role. Only customers are impersonated (409 `customers-only`, after the
 * permission check). One session per impersonator and customer: a running one
 * of the caller's in the same customer is ended (`replaced`) in the same
 * transaction, as a technician who clicks "Login As" again expects. The
 * session item, its list entries (one per org on the customer's path) and
 * those ends are written atomically; the audit records the start (and any
 * end) from the stream. Reads: the org, the caller's grants, the customer's
 * recent sessions and the caller's user item, in parallel.
 */
export const startImpersonation = async (
  access: AccessRequest,
  customerId: string,
  input: StartImpersonationInput,
  actor: Actor,
): Promise<StartedSession> => {
  const { caller } = access;
  const isUser = caller.principalType === 'user';
  const [{ org }, recent, user] = await Promise.all([
    authorizeOn(access, customerId).catch((error: unknown) => {
      // In scope but not a person: the principal is what is wrong, whatever its role carries.
      throw error instanceof ForbiddenError && !isUser ? usersOnly() : error;
    }),
    activeSessionsOf(customerId),
    isUser ? getUser(caller.principalId) : Promise.resolve(null),
  ]);
  if (!isUser) throw usersOnly();
  if (org.kind !== 'customer') {
    throw new ConflictError('Only a customer can be impersonated', { extensions: { rule: 'customers-only' } });
  }

  const now = Date.now();
  const startedAt = new Date(now).toISOString();
  const endsAt = new Date(now + Math.min(input.minutes, maxSessionMinutes) * 60_000).toISOString();
  const impersonationId = newId('imp', now);
  const expiresAt = Math.floor(Date.parse(endsAt) / 1000) + sessionRetentionDays * 24 * 60 * 60;
  const listedAt = OrgPath.ids(org.path);
  // Best effort against a race: two starts of the same person at the same moment both see none running and both
  // start (each audited, each ending on its own); the next start ends them all. A handful at most, then.
  // The transaction's bound keeps any beyond it running.
  const replacing = recent
    .filter((session) => session.impersonatorId === caller.principalId)
    .slice(0, maxTransactionItems - 1 - listedAt.length);
  // Signed before anything is written: a missing key fails the call with nothing to undo.
  const token = await signImpersonationToken({ impersonationId, impersonatorId: caller.principalId, customerId, endsAt });
  const by = writtenBy(actor, startedAt);

  await transact(
    () =>
      db.transaction
        .write(({ impersonation, impersonationListing }) => [
          impersonation
            .create({
              impersonationId,
              customerId,
              impersonatorId: caller.principalId,
              impersonatorEmail: user?.email ?? caller.email ?? '',
              actingRole: impersonationRole,
              reason: input.reason,
              ...(input.ticket === undefined ? {} : { ticket: input.ticket }),
              startedAt,
              endsAt,
              expiresAt,
              version: 1,
              writtenBy: by,
            })
            .commit(),
          ...listedAt.map((orgId) =>
            impersonationListing.create({ listedAt: orgId, startedAt, impersonationId, customerId, expiresAt, writtenBy: by }).commit(),
          ),
          ...replacing.map((session) =>
            impersonation
              .patch({ impersonationId: session.impersonationId })
              .set({ endedAt: startedAt, endReason: 'replaced', version: session.version + 1, writtenBy: by })
              .where((attr, { notExists }) => notExists(attr.endedAt))
              .commit(),
          ),
        ])
        .go(),
    () => changed(),
  );

  return {
    id: impersonationId,
    token,
    startedAt,
    expiresAt: endsAt,
    customerId,
    actingRole: impersonationRole,
    replacedSessionIds: replacing.map((session) => session.impersonationId),
  };
};
