import { type AccessRequest, assertSessionHolds, enforce, orgNotFound } from '../access/authorize.ts';
import { type Decision, decide } from '../access/decide.ts';
import { type CallerGrants, loadCallerGrants, type RequesterGrant } from '../access/grants.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { readOrg } from '../orgs/org-store.ts';
import { ForbiddenError, type NotFoundError } from '../shared/errors.ts';
import { type ClientPermission, holdsAny } from './client-permissions.ts';

/**
 * Who is acting in the portal, and from which side. The MSP side is anyone
 * `decide` lets hold the route's platform permission (`portal:read` or
 * `portal:write`) at the customer: the MSP's people above it, and the
 * customer's own platform members whose role carries it. Being `decide`, it
 * stops at a customer that switched partner access off, like everything else
 * from above. The client side is a requester grant at that very customer,
 * which a partner-access restriction never touches (requesters are the
 * customer's own people). Where both apply, the MSP side is taken: it sees
 * and may do at least as much.
 */
export type PortalActor =
  | { side: 'msp'; org: OrgItem; held: CallerGrants; decision: Decision; requester: RequesterGrant | null }
  | { side: 'client'; org: OrgItem | null; held: CallerGrants; requester: RequesterGrant };

/** The requester grant a caller holds at a customer, if any. */
export const requesterAt = (held: CallerGrants, customerId: string): RequesterGrant | null =>
  held.requesters.find((requester) => requester.orgId === customerId) ?? null;

export const portalRoleRefusal = (message: string, rule = 'portal-role') => new ForbiddenError(message, { extensions: { rule } });

/**
 * Decides a portal call on a customer once the org and the caller's grants
 * are read: the MSP side by `decide` first, then a requester grant carrying
 * any of `wanted` (`any`: every requester of the customer). A requester whose
 * role carries none of them is refused with 403; anyone else as `decide`
 * says (404 out of scope, 403 without the permission or across a restriction).
 */
export const judgePortal = (
  access: AccessRequest,
  customerId: string,
  org: OrgItem | null,
  held: CallerGrants,
  wanted: readonly ClientPermission[] | 'any',
): PortalActor => {
  if (!org) throw orgNotFound(customerId);
  const decision = decide(held.grants, org, access.permission);
  const requester = requesterAt(held, customerId);
  if (decision.allowed) return { side: 'msp', org, held, decision, requester };
  if (requester && (wanted === 'any' || holdsAny(requester.permissions, wanted))) return { side: 'client', org, held, requester };
  if (requester) throw portalRoleRefusal(`The portal role ${requester.portalRole} does not allow this here`);
  if (!decision.visible) assertSessionHolds(access, held.grants, customerId);
  enforce(decision, customerId);
  throw new Error('unreachable: a denied decision was not enforced');
};

/**
 * Portal authorization on a customer named in the path: the org and the
 * caller's grants (platform and requester) read in parallel, one round trip.
 */
export const authorizePortal = async (
  access: AccessRequest,
  customerId: string,
  wanted: readonly ClientPermission[] | 'any',
): Promise<PortalActor> => {
  const [org, held] = await Promise.all([readOrg(customerId), loadCallerGrants(access.caller)]);
  return judgePortal(access, customerId, org, held, wanted);
};

/** What a requester's own rules say about one item: may act, may see it but not do this (with why), or must not know it exists. */
export type ClientVerdict = { verdict: 'allowed' } | { verdict: 'forbidden'; error: Error } | { verdict: 'hidden' };

/**
 * Decides a call on one item (a ticket, a project, an asset, a quote) whose
 * customer was learned by reading the item, beside the caller's grants.
 * When the caller's requester grant there allows it, that settles it in the
 * one round already made; otherwise the customer org is read (a second
 * round: its path and partner-access switch cannot be stored on the item,
 * since orgs move and switch) and the MSP side is decided. A requester is
 * answered 404 for an item its role does not show (as for a missing one) and
 * 403 for one it sees but may not change; anyone else as `decide` says, with
 * out of scope answering exactly as a missing item.
 */
export const authorizeOnItem = async (
  access: AccessRequest,
  customerId: string,
  held: CallerGrants,
  client: (requester: RequesterGrant) => ClientVerdict,
  notFound: () => NotFoundError,
): Promise<PortalActor> => {
  const requester = requesterAt(held, customerId);
  const verdict: ClientVerdict = requester ? client(requester) : { verdict: 'hidden' };
  if (requester && verdict.verdict === 'allowed') return { side: 'client', org: null, held, requester };
  const org = await readOrg(customerId);
  const decision = org ? decide(held.grants, org, access.permission) : null;
  if (org && decision?.allowed) return { side: 'msp', org, held, decision, requester };
  if (requester) throw verdict.verdict === 'forbidden' ? verdict.error : notFound();
  if (!org || !decision || (!decision.allowed && !decision.visible)) throw notFound();
  enforce(decision, customerId);
  throw new Error('unreachable: a denied decision was not enforced');
};
