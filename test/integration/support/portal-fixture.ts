import type { Caller } from '#domain/access/caller';
import { setPartnerAccess } from '#domain/delegation/partner-access';
import { addRequester } from '#domain/portal/requesters';
import { actor, as, member, smallHierarchy, unique, userCaller } from './fixture.ts';

/** A requester of `customerId` with a portal role, as the caller it signs in as. */
export const requester = async (admin: Caller, customerId: string, portalRole: string, email = `${unique('r')}@client.example`) => {
  const added = await addRequester(as(admin, 'portal:write'), customerId, { email, portalRole }, actor);
  return { caller: userCaller(added.userId), email, userId: added.userId };
};

/**
 * The small hierarchy with portal people: partner A's admin and technician,
 * customer A's own admin (a built-in member), and customer A's requesters
 * (a client admin, an approver, a plain requester who also belongs to
 * customer sub-A). Customer B is another partner's.
 */
export const portalWorld = async () => {
  const world = await smallHierarchy();
  const { admin, partnerA, customerA, customerSubA } = world;
  const partnerAdmin = await member(admin, partnerA.id, 'partner-admin');
  const technician = await member(admin, partnerA.id, 'partner-technician');
  const customerAdmin = await member(admin, customerA.id, 'customer-admin', true);
  const clientAdmin = await requester(admin, customerA.id, 'client-admin');
  const approver = await requester(admin, customerA.id, 'approver');
  const plain = await requester(admin, customerA.id, 'requester');
  await addRequester(as(admin, 'portal:write'), customerSubA.id, { email: plain.email, portalRole: 'client-admin' }, actor);
  return { ...world, partnerAdmin, technician, customerAdmin, clientAdmin, approver, plain };
};

/** Customer A's own admin switches partner access off (it is a built-in administrator). */
export const restrict = async (customerAdmin: Caller, customerId: string, enabled = false) =>
  setPartnerAccess(as(customerAdmin, 'partner-access:write'), customerId, { enabled }, { ifMatch: null }, actor);
