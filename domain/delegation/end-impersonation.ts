import type { Actor, Caller } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { loadGrants } from '../access/grants.ts';
import { isConditionalCheckFailure } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { readOrg } from '../orgs/org-store.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { ImpersonationEntity, type ImpersonationItem } from './impersonation.entity.ts';
import { isRunning } from './impersonation-view.ts';

const sessionNotFound = (impersonationId: string) => new NotFoundError(`Impersonation session ${impersonationId} was not found`);

/** The impersonator, or the session itself (its own token): they may always end it. */
const isOwn = (caller: Caller, session: ImpersonationItem): boolean =>
  (caller.principalType === 'user' && caller.principalId === session.impersonatorId) ||
  (caller.principalType === 'impersonation' && caller.principalId === session.impersonationId);

/**
 * Ends a session. Allowed to its impersonator (also with the session's own
 * token), to the customer's admins (`member:write` there) and to anyone
 * holding `impersonate` at or above the customer. Someone who may see the
 * session (`access:read` on the customer, which lists it) but not end it gets
 * 403; anyone else 404, exactly as for a session that does not exist. Ending
 * a session that already ended (or expired) answers as success and writes
 * nothing: DELETE is idempotent, and the first end keeps its actor and reason.
 * Reads: the session and the caller's grants in parallel, then the customer
 * unless the caller is the impersonator.
 */
export const endImpersonation = async (caller: Caller, impersonationId: string, actor: Actor): Promise<void> => {
  const [{ data: session }, grants] = await Promise.all([ImpersonationEntity.get({ impersonationId }).go(), loadGrants(caller)]);
  if (!session) throw sessionNotFound(impersonationId);
  if (!isOwn(caller, session)) {
    const customer = await readOrg(session.customerId);
    if (!customer) throw sessionNotFound(impersonationId);
    const mayEnd = decide(grants, customer, 'member:write').allowed || decide(grants, customer, 'impersonate').allowed;
    if (!mayEnd) {
      if (decide(grants, customer, 'access:read').allowed) {
        throw new ForbiddenError('Only the impersonator, the customer’s admins and those who may impersonate here may end this session', {
          extensions: { rule: 'missing-permission' },
        });
      }
      throw sessionNotFound(impersonationId);
    }
  }
  if (!isRunning(session)) return;
  const now = new Date().toISOString();
  try {
    await ImpersonationEntity.patch({ impersonationId })
      .set({ endedAt: now, endReason: 'ended', version: session.version + 1, writtenBy: writtenBy(actor, now) })
      .where((attr, { notExists }) => notExists(attr.endedAt))
      .go();
  } catch (error) {
    // Ended meanwhile by someone else (or by the customer's switch): the outcome the caller asked for.
    if (!isConditionalCheckFailure(error)) throw error;
  }
};
