import type { AccessRequest } from '../access/authorize.ts';
import { authorizeOn, enforce, orgNotFound } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { type CallerGrants, loadCallerGrants } from '../access/grants.ts';
import { tombstoneFor } from '../db/deletion.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { readOrgs } from '../orgs/org-store.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, changedMeanwhile, NotFoundError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { authorizePortal, requesterAt } from './authorize-portal.ts';
import {
  DocumentEntity,
  type DocumentItem,
  DocumentShareEntity,
  type DocumentShareItem,
  type documentCategories,
} from './document.entity.ts';
import { documentNotFound, effectiveShare, judgeDocument } from './document-access.ts';
import { shareCountWrite } from './summary-counters.ts';

type Category = (typeof documentCategories)[number];

export interface DocumentView {
  id: string;
  title: string;
  category: Category;
  content: string;
  /** The customer it is shared with (null: none, or a customer no longer under the partner that wrote it). */
  sharedWith: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const toView = (item: DocumentItem, sharedWith: string | null): DocumentView => ({
  id: item.docId,
  title: item.title,
  category: item.category,
  content: item.content,
  sharedWith,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
});

export interface NewDocument {
  title: string;
  category: Category;
  content: string;
}

/** Writes an IT document on a partner's side, shared with nobody yet. */
export const createDocument = async (access: AccessRequest, partnerId: string, input: NewDocument, actor: Actor): Promise<DocumentView> => {
  const { org } = await authorizeOn(access, partnerId);
  if (org.kind !== 'partner') {
    throw new ConflictError('IT documents are written by partners for their customers', { extensions: { rule: 'partners-only' } });
  }
  const now = new Date().toISOString();
  const item: DocumentItem = {
    docId: newId('doc'),
    partnerId,
    title: input.title,
    category: input.category,
    content: input.content,
    createdAt: now,
    updatedAt: now,
    version: 1,
    writtenBy: writtenBy(actor, now),
  };
  await DocumentEntity.create(item).go();
  return toView(item, null);
};

/** The document and the caller's grants (one round), then the orgs it names in one BatchGet (the second). */
const readDocument = async (access: AccessRequest, docId: string, alsoOrgId?: string) => {
  const [found, held] = await Promise.all([DocumentEntity.get({ docId }).go(), loadCallerGrants(access.caller)]);
  const doc = found.data;
  if (!doc) throw documentNotFound(docId);
  const orgs = await readOrgs([doc.partnerId, ...(doc.sharedWith ? [doc.sharedWith] : []), ...(alsoOrgId ? [alsoOrgId] : [])]);
  return { doc, held, orgs };
};

/** One document, for its partner's side and for the customer it is shared with; anyone else gets 404 as for a missing one. */
export const getDocument = async (access: AccessRequest, docId: string): Promise<DocumentView> => {
  const { doc, held, orgs } = await readDocument(access, docId);
  judgeDocument(access, doc, orgs, held, 'read');
  return toView(doc, shareInSight(held, effectiveShare(doc, orgs)));
};

/**
 * The customer a document is shared with, named only to whoever may know of
 * it: someone whose grants reach it (a partner-side reader holding only a
 * service assignment on the partner does not see its customers), or its own
 * requester.
 */
const shareInSight = (held: CallerGrants, shared: OrgItem | null): string | null => {
  if (!shared) return null;
  const decision = decide(held.grants, shared, 'org:read');
  return decision.allowed || decision.visible || requesterAt(held, shared.orgId) ? shared.orgId : null;
};

/**
 * Shares a document with one customer of the partner that wrote it (one
 * customer at a time, never a whole category). Sharing it with the customer
 * it is already shared with changes nothing; moving it to another customer
 * needs the current share withdrawn first (409, naming the step). The
 * caller needs `portal:write` on the partner's side and at the customer.
 */
export const shareDocument = async (
  access: AccessRequest,
  docId: string,
  customerId: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<DocumentView> => {
  const { doc, held, orgs } = await readDocument(access, docId, customerId);
  judgeDocument(access, doc, orgs, held, 'change');
  const customer = orgs.get(customerId);
  if (!customer) throw orgNotFound(customerId);
  const decision = decide(held.grants, customer, access.permission);
  if (!decision.allowed && !decision.visible) throw orgNotFound(customerId);
  enforce(decision, customerId);
  if (customer.kind !== 'customer' || !OrgPath.ids(customer.path).includes(doc.partnerId)) {
    throw new ConflictError('A document is shared with customers of the partner that wrote it only', {
      extensions: { rule: 'not-partners-customer' },
    });
  }
  const expected = assertVersion(doc.version, ifMatch);
  const current = effectiveShare(doc, orgs);
  if (current?.orgId === customerId) return toView(doc, customerId);
  if (current) {
    throw new ConflictError(
      `The document is shared with ${current.orgId}: withdraw that share first (DELETE /v1/documents/${docId}/shares/${current.orgId}), then share it here`,
      { extensions: { rule: 'shared-elsewhere', sharedWith: current.orgId } },
    );
  }
  const now = new Date().toISOString();
  const by = writtenBy(actor, now);
  // A share left with a customer since moved away from the partner goes now, so it can never count again.
  const stale = doc.sharedWith ? orgs.get(doc.sharedWith) : undefined;
  const share: DocumentShareItem = {
    customerId,
    docId,
    partnerId: doc.partnerId,
    title: doc.title,
    category: doc.category,
    sharedAt: now,
    version: expected + 1,
    writtenBy: by,
  };
  await transact(
    () =>
      db.transaction
        .write((tx) => [
          tx.document
            .patch({ docId })
            .set({ sharedWith: customerId, updatedAt: now, version: expected + 1, writtenBy: by })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          tx.documentShare.put(share).commit(),
          shareCountWrite(tx, customerId, doc.partnerId, 1, by),
          ...(stale
            ? [
                tx.documentShare.delete({ customerId: stale.orgId, docId }).commit(),
                tx.tombstone
                  .put(tombstoneFor(DocumentShareEntity.delete({ customerId: stale.orgId, docId }), doc, 'documentShare', stale, by))
                  .commit(),
                shareCountWrite(tx, stale.orgId, doc.partnerId, -1, by),
              ]
            : []),
        ])
        .go(),
    () => changedMeanwhile('document', ifMatch),
  );
  return toView({ ...doc, sharedWith: customerId, updatedAt: now, version: expected + 1 }, customerId);
};

/**
 * Withdraws a document's share with a customer (its partner's side only):
 * the customer's people lose it on their next call. A tombstone records who
 * withdrew it.
 */
export const withdrawDocumentShare = async (
  access: AccessRequest,
  docId: string,
  customerId: string,
  ifMatch: number | null,
  actor: Actor,
): Promise<void> => {
  const { doc, held, orgs } = await readDocument(access, docId);
  judgeDocument(access, doc, orgs, held, 'change');
  const expected = assertVersion(doc.version, ifMatch);
  const customer = effectiveShare(doc, orgs);
  if (customer?.orgId !== customerId) throw new NotFoundError(`Document ${docId} is not shared with ${customerId}`);
  const by = writtenBy(actor, new Date().toISOString());
  await transact(
    () =>
      db.transaction
        .write((tx) => [
          tx.document
            .patch({ docId })
            .remove(['sharedWith'])
            .set({ updatedAt: by.at, version: expected + 1, writtenBy: by })
            .where((attr, { eq }) => eq(attr.version, expected))
            .commit(),
          tx.documentShare.delete({ customerId, docId }).commit(),
          tx.tombstone.put(tombstoneFor(DocumentShareEntity.delete({ customerId, docId }), doc, 'documentShare', customer, by)).commit(),
          shareCountWrite(tx, customerId, doc.partnerId, -1, by),
        ])
        .go(),
    () => changedMeanwhile('document', ifMatch),
  );
};

export interface DocumentSummaryView {
  id: string;
  title: string;
  category: Category;
  sharedAt: string;
}

/**
 * What is shared with a customer, newest first: one Query on the customer's
 * shares per page alongside the authorization round, less shares by a
 * partner the customer no longer sits under.
 */
export const listDocuments = async (
  access: AccessRequest,
  customerId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<DocumentSummaryView>> => {
  const binding = JSON.stringify(['documents', customerId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [portal, page] = await Promise.all([
    authorizePortal(access, customerId, ['view-documents']),
    DocumentShareEntity.query
      .sharesOfCustomer({ customerId })
      .go({ order: 'desc', cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  const above = OrgPath.ids(portal.org?.path ?? '');
  return {
    items: page.data
      .filter((share) => above.includes(share.partnerId))
      .map((share) => ({ id: share.docId, title: share.title, category: share.category, sharedAt: share.sharedAt })),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};
