import type { AccessRequest } from '../access/authorize.ts';
import { enforce } from '../access/authorize.ts';
import { decide } from '../access/decide.ts';
import type { CallerGrants } from '../access/grants.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { NotFoundError } from '../shared/errors.ts';
import { portalRoleRefusal, requesterAt } from './authorize-portal.ts';
import { holdsAny } from './client-permissions.ts';
import type { DocumentItem } from './document.entity.ts';

export const documentNotFound = (docId: string) => new NotFoundError(`Document ${docId} was not found`);

/**
 * The customer a document is shared with, if the share still counts: that
 * customer must still sit under the partner that wrote the document. A
 * customer moved to another partner stops seeing it, without a rewrite.
 */
export const effectiveShare = (doc: Pick<DocumentItem, 'partnerId' | 'sharedWith'>, orgs: ReadonlyMap<string, OrgItem>): OrgItem | null => {
  const customer = doc.sharedWith ? orgs.get(doc.sharedWith) : undefined;
  return customer && OrgPath.ids(customer.path).includes(doc.partnerId) ? customer : null;
};

/**
 * Who may act on a document, with its partner's org and its shared
 * customer's org already read. The partner's side with the route's
 * permission may do anything; the customer it is shared with may read it
 * (its requesters with `view-documents`, its MSP side with `portal:read`),
 * and is refused changes with 403. Anyone else learns nothing: 404 as for a
 * missing document, unless `decide` puts the caller in sight of the partner
 * or the customer, which answers 403.
 */
export const judgeDocument = (
  access: AccessRequest,
  doc: DocumentItem,
  orgs: ReadonlyMap<string, OrgItem>,
  held: CallerGrants,
  mode: 'read' | 'change',
): 'partner' | 'share' => {
  const partner = orgs.get(doc.partnerId);
  if (!partner) throw documentNotFound(doc.docId);
  const byPartner = decide(held.grants, partner, access.permission);
  if (byPartner.allowed) return 'partner';
  const shared = effectiveShare(doc, orgs);
  const requester = shared ? requesterAt(held, shared.orgId) : null;
  const byCustomer = shared ? decide(held.grants, shared, 'portal:read') : null;
  const readable = (requester !== null && holdsAny(requester.permissions, ['view-documents'])) || byCustomer?.allowed === true;
  if (readable && mode === 'read') return 'share';
  if (readable) throw portalRoleRefusal('Only the partner that wrote a document shares or withdraws it', 'partner-only');
  if (requester) throw portalRoleRefusal(`The portal role ${requester.portalRole} does not show documents`);
  if (byPartner.visible) enforce(byPartner, partner.orgId);
  if (shared && byCustomer && !byCustomer.allowed && byCustomer.visible) enforce(byCustomer, shared.orgId);
  throw documentNotFound(doc.docId);
};
