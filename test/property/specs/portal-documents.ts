import type { ModelDocument, ModelQuote, ModelRequester, Verdict } from '../model/portal.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';
import { documentView, expectEtag, inSight, newestFirst, newIdOf, pickItemId, pickPortalOrgId, quoteView } from './portal-support.ts';

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;
const docOf = (ctx: Ctx, call: ParsedCall) => ctx.model.portal.documents.get(call.params.docId as string);
const pickDocId = (ctx: Ctx, pick: Picker) =>
  pickItemId(ctx, pick, 'doc', ctx.model.portal.documents.values(), (d) =>
    inSight(ctx, d.partnerId) ? d.partnerId : (d.sharedWith ?? d.partnerId),
  );

export const createDocument: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createDocument', (body) => ({ ...body, title: `${body.title} again` }));
    if (repeat) return repeat;
    const partners = [...ctx.model.orgs.values()].filter((org) => org.kind === 'partner').map((org) => org.id);
    const orgId = partners.length > 0 && pick.chance(50) ? pick.one(partners) : pickPortalOrgId(ctx, pick);
    const body = {
      title: pick.chance(95) ? pick.one(['Network plan', ' Backups ']) : '',
      category: pick.chance(95) ? pick.one(['network', 'backup', 'other']) : 'gossip',
      content: pick.chance(95) ? pick.one(['VLAN 10: office', 'Line one\nline two']) : 'x'.repeat(50_001),
    };
    return { params: { orgId }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    if (ctx.model.org(orgId)?.kind !== 'partner') return fail([409]);
    const body = call.body as { title: string; category: string; content: string };
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'doc', ctx.model.portal.documents);
        const doc: ModelDocument = { id, partnerId: orgId, ...body, sharedWith: null, version: 1 };
        ctx.model.portal.documents.set(id, doc);
        expectFields('the new document', response.json, documentView(doc, null));
      },
    };
  },
};

export const listDocuments: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `documents|${orgIdOf(call)}`,
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', ['view-documents']).access,
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    const lineage = model.lineage(orgId);
    const expected = [...model.portal.shares.values()]
      .filter((share) => share.customerId === orgId && lineage.includes(share.partnerId))
      .map((share) => share.docId)
      .sort(newestFirst);
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, `documents|${orgId}`, call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates(`documents of ${orgId}`, ids);
        for (const item of walked.items) {
          const doc = model.portal.documents.get(item.id as string);
          if (!doc || !expected.includes(doc.id)) return mismatch(`the documents of ${orgId} list ${String(item.id)}, not shared there`);
          expectFields(`shared document ${doc.id}`, item, { title: doc.title, category: doc.category });
        }
        if (walked.complete && call.query.cursor === undefined) expectSameIds(`documents of ${orgId}`, ids, expected, true);
      },
    };
  },
};

export const getDocument: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({ params: { docId: pickDocId(ctx, pick) } }),
  target: (call) => call.params.docId as string,
  access: (ctx, call) => {
    const doc = docOf(ctx, call);
    return doc ? ctx.model.portal.onDocument(ctx.principal, doc, 'portal:read', 'read').access : 'missing';
  },
  allowed: (ctx, call) => ({
    statuses: [200],
    accept: (response) => {
      const doc = docOf(ctx, call);
      if (!doc) return mismatch('unreachable: the runner checked the document');
      // The customer it is shared with is named only to whoever may know of it (its grants reach it, or its requester).
      const share = ctx.model.portal.effectiveShare(doc);
      const known =
        share !== null &&
        (!['missing', 'hidden'].includes(ctx.model.access(ctx.principal, share, 'org:read')) ||
          ctx.model.portal.requesterAt(ctx.principal, share) !== undefined);
      expectFields('the document', response.json, documentView(doc, known ? share : null));
      expectEtag(response.headers, doc.version);
    },
  }),
};

/** A customer to share with: often one of the document's partner, sometimes any org. */
const pickShareTarget = (ctx: Ctx, pick: Picker, doc: ModelDocument | undefined): string => {
  const ofPartner = doc
    ? [...ctx.model.orgs.values()].filter((org) => org.kind === 'customer' && ctx.model.lineage(org.id).includes(doc.partnerId))
    : [];
  return ofPartner.length > 0 && pick.chance(60) ? pick.one(ofPartner).id : pickOrgId(ctx, pick);
};

const shareBuild: RouteSpec['build'] = (ctx, pick) => {
  const docId = pickDocId(ctx, pick);
  const doc = ctx.model.portal.documents.get(docId);
  const customerId = doc?.sharedWith && pick.chance(40) ? doc.sharedWith : pickShareTarget(ctx, pick, doc);
  return { params: { docId, customerId }, headers: pickIfMatch(pick, doc?.version) };
};

const shareAccess: RouteSpec['access'] = (ctx, call) => {
  const doc = docOf(ctx, call);
  return doc ? ctx.model.portal.onDocument(ctx.principal, doc, 'portal:write', 'change').access : 'missing';
};

export const shareDocument: RouteSpec = {
  weight: 2,
  build: shareBuild,
  target: (call) => call.params.docId as string,
  access: shareAccess,
  allowed: (ctx, call) => {
    const { model } = ctx;
    const doc = docOf(ctx, call);
    if (!doc) throw new Error('unreachable: the runner checked the document');
    const customerId = call.params.customerId as string;
    const customer = model.org(customerId);
    const access = customer ? model.access(ctx.principal, customerId, 'portal:write') : 'missing';
    if (access === 'missing' || access === 'hidden') return fail([404]);
    if (access !== 'allowed') return fail([403]);
    const failures: number[] = [];
    if (customer?.kind !== 'customer' || !model.lineage(customerId).includes(doc.partnerId)) failures.push(409);
    if (call.ifMatch !== null && call.ifMatch !== doc.version) failures.push(412);
    const current = model.portal.effectiveShare(doc);
    if (current !== null && current !== customerId) failures.push(409);
    if (failures.length > 0) return fail(failures);
    if (current === customerId) {
      return {
        statuses: [200],
        accept: (response) => expectFields('the document, shared already', response.json, documentView(doc, customerId)),
      };
    }
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        const stale = doc.sharedWith;
        // A share left with a customer since moved away goes (unless that customer is gone altogether).
        if (stale && model.org(stale)) model.portal.shares.delete(`${stale} ${doc.id}`);
        model.portal.shares.set(`${customerId} ${doc.id}`, { customerId, docId: doc.id, partnerId: doc.partnerId });
        doc.sharedWith = customerId;
        doc.version += 1;
        expectFields('the shared document', response.json, documentView(doc, customerId));
        expectEtag(response.headers, doc.version);
      },
    };
  },
};

export const withdrawDocumentShare: RouteSpec = {
  weight: 2,
  build: shareBuild,
  target: (call) => call.params.docId as string,
  access: shareAccess,
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const doc = docOf(ctx, call);
    if (!doc) throw new Error('unreachable: the runner checked the document');
    const customerId = call.params.customerId as string;
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== doc.version) failures.push(412);
    if (portal.effectiveShare(doc) !== customerId) failures.push(404);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [204],
      mutates: true,
      accept: () => {
        portal.shares.delete(`${customerId} ${doc.id}`);
        doc.sharedWith = null;
        doc.version += 1;
      },
    };
  },
};

export const listQuotes: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickPortalOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `quotes|${orgIdOf(call)}`,
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', ['view-quotes-invoices']).access,
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    const expected = [...ctx.model.portal.quotes.values()].filter((q) => q.customerId === orgId).sort((a, b) => newestFirst(a.id, b.id));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, `quotes|${orgId}`, call.walk);
        for (const item of walked.items) {
          const quote = expected.find((q) => q.id === item.id);
          if (!quote) return mismatch(`the quotes of ${orgId} list ${String(item.id)}`);
          expectFields(`quote ${quote.id}`, item, quoteView(quote));
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `quotes of ${orgId}`,
            walked.items.map((item) => item.id as string),
            expected.map((q) => q.id),
            true,
          );
        }
      },
    };
  },
};

export const createQuote: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createQuote', (body) => ({ ...body, title: `${body.title} again` }));
    if (repeat) return repeat;
    const line = () => ({
      description: 'Firewall',
      quantity: pick.chance(95) ? pick.int(1, 5) : 0,
      unitAmount: pick.chance(95) ? pick.int(0, 100_000) : 1.5,
    });
    const body: Record<string, unknown> = {
      title: 'Hardware',
      currency: pick.chance(95) ? pick.one(['EUR', 'USD']) : 'eur',
      lines: pick.chance(97) ? Array.from({ length: pick.int(1, 3) }, line) : [],
    };
    if (pick.chance(40)) body.validUntil = pick.one(['2020-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 'soon']);
    return { params: { orgId: pickPortalOrgId(ctx, pick) }, body, headers: pickIdempotencyKey(pick) };
  },
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:write', []).access,
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    if (ctx.model.org(orgId)?.kind !== 'customer') return fail([409]);
    const body = call.body as Pick<ModelQuote, 'title' | 'currency' | 'lines'> & { validUntil?: string };
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'quo', ctx.model.portal.quotes);
        const quote: ModelQuote = {
          id,
          customerId: orgId,
          title: body.title,
          currency: body.currency,
          lines: body.lines,
          total: body.lines.reduce((sum, line) => sum + line.quantity * line.unitAmount, 0),
          validUntil: body.validUntil ?? null,
          status: 'open',
          decidedBy: null,
          version: 1,
        };
        ctx.model.portal.quotes.set(id, quote);
        expectFields('the new quote', response.json, quoteView(quote));
      },
    };
  },
};

const quoteOf = (ctx: Ctx, call: ParsedCall) => ctx.model.portal.quotes.get(call.params.quoteId as string);
const approverVerdict =
  (ctx: Ctx) =>
  (requester: ModelRequester): Verdict =>
    ctx.model.portal.holds(requester, 'approve-quotes')
      ? 'allowed'
      : ctx.model.portal.holds(requester, 'view-quotes-invoices')
        ? 'forbidden'
        : 'hidden';

const decision = (status: 'accepted' | 'declined'): RouteSpec => ({
  weight: 2,
  build: (ctx, pick) => ({ params: { quoteId: pickItemId(ctx, pick, 'quo', ctx.model.portal.quotes.values(), (q) => q.customerId) } }),
  target: (call) => call.params.quoteId as string,
  access: (ctx, call) => {
    const quote = quoteOf(ctx, call);
    return quote ? ctx.model.portal.onItem(ctx.principal, quote.customerId, 'portal:read', approverVerdict(ctx)).access : 'missing';
  },
  allowed: (ctx, call) => {
    const quote = quoteOf(ctx, call);
    if (!quote) throw new Error('unreachable: the runner checked the quote');
    const { side } = ctx.model.portal.onItem(ctx.principal, quote.customerId, 'portal:read', approverVerdict(ctx));
    if (side !== 'client') return fail([403]);
    if (quote.status !== 'open') return fail([409]);
    if (status === 'accepted' && quote.validUntil !== null && quote.validUntil <= new Date().toISOString()) return fail([409]);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        quote.status = status;
        quote.decidedBy = ctx.principal?.principalId ?? null;
        quote.version += 1;
        expectFields(`the ${status} quote`, response.json, quoteView(quote));
        expectEtag(response.headers, quote.version);
      },
    };
  },
});

export const acceptQuote = decision('accepted');
export const declineQuote = decision('declined');

export const getPortalSummary: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({ params: { orgId: pickPortalOrgId(ctx, pick) } }),
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', 'any').access,
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const { side } = portal.onCustomer(ctx.principal, orgId, 'portal:read', 'any');
    const requester = side === 'client' ? portal.requesterAt(ctx.principal, orgId) : undefined;
    const shows = (permission: Parameters<typeof portal.holds>[1]) => requester === undefined || portal.holds(requester, permission);
    const c = portal.counters(orgId);
    const expected = {
      customerId: orgId,
      viewer: side,
      tickets: shows('view-company-tickets')
        ? {
            open: c.ticketsOpen,
            inProgress: c.ticketsInProgress,
            waitingOnClient: c.ticketsWaitingOnClient,
            resolved: c.ticketsResolved,
            closed: c.ticketsClosed,
          }
        : null,
      activeProjects: shows('view-projects') ? (requester ? c.projectsActiveVisible : c.projectsActive) : null,
      assets: shows('view-all-assets') ? c.assets : null,
      documents: shows('view-documents') ? portal.documentCount(orgId) : null,
      openQuotes: shows('view-quotes-invoices') ? c.quotesOpen : null,
      unpaidInvoices: shows('view-quotes-invoices') ? c.unpaidInvoices : null,
    };
    return { statuses: [200], accept: (response) => expectFields('the portal summary', response.json, expected) };
  },
};
