import {
  type DraftLine,
  invoiceFields,
  ledgerOf,
  type ModelInvoice,
  type ModelPriceEntry,
  priceDraft,
  recordBillingEvent,
  shownStatus,
  today,
} from '../model/billing.ts';
import type { Access, ModelOrg } from '../model/model.ts';
import { type Permission, roleCarries } from '../model/rules.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type Outcome,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickOrgId,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { ApiResponse } from '../support/api.ts';
import type { Picker } from '../support/picker.ts';
import { expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';

/* ---------- pools: SKUs that are prefixes of each other, periods that meet and overlap ---------- */

const entry = (sku: string, unitPrice: number, currency: string, from: string, to: string | null): ModelPriceEntry => ({
  sku,
  name: `${sku} service`,
  unit: 'user/month',
  unitPrice,
  currency,
  effectiveFrom: from,
  effectiveTo: to,
});

/** The price book every partner of a generated world starts with. */
export const worldPriceBook: ModelPriceEntry[] = [
  entry('M365', 1250, 'EUR', '2020-01-01', null),
  entry('M365', 1400, 'USD', '2020-01-01', null),
  entry('BACKUP', 333, 'EUR', '2026-01-01', '2026-06-30'),
  entry('BACKUP', 350, 'EUR', '2026-07-01', null),
];

/** Entries a PUT draws from: the world's, a SKU that is a prefix-sibling, yen, and one overlapping M365/EUR (a 400). */
const entryPool: ModelPriceEntry[] = [
  ...worldPriceBook,
  entry('M365X', 99_999, 'JPY', '2025-01-01', null),
  entry('M365', 1300, 'EUR', '2026-01-01', null),
  entry('EDR', 7, 'BHD', '2026-02-01', '2026-02-28'),
];

const overlappingEntry = entryPool.findIndex((candidate) => candidate.sku === 'M365' && candidate.unitPrice === 1300);

const currencyPool = ['EUR', 'EUR', 'EUR', 'USD', 'JPY'];
const taxRatePool = ['20', '0', '8.875', '7.50', '100'];
const invoiceDatePool = ['2026-03-01', '2026-07-01', '2025-06-30', '2020-01-01', '2020-01-01'];
const dueDatePool = ['2099-12-31', '2099-12-31', '2099-12-31', '2026-12-31', '2020-06-30'];
const statusPool = ['draft', 'issued', 'overdue', 'paid', 'void', 'bogus'];
const datePool = ['2020-01-01', '2026-03-01', '2026-06-30', '2026-07-01', '2099-01-01', '2026-02-30'];

const invoiceIdPattern = /^inv_[0-9a-z]{1,40}$/;
const malformedInvoiceIds = ['INV_1', 'inv_', 'org_a1', 'inv-1', 'inv_1/x'];

/**
 * An invoice id: often one the caller may act on in a state the action takes
 * (so calls get through and change things), as often any invoice the model
 * knows, an unknown one, or a malformed one.
 */
const pickInvoiceId = (ctx: Ctx, pick: Picker, permission: Permission, states?: readonly string[]): string => {
  const known = [...ctx.model.invoices.values()];
  const actionable = known.filter(
    (invoice) => (!states || states.includes(invoice.status)) && ctx.model.invoiceAccess(ctx.principal, invoice, permission) === 'allowed',
  );
  return pick.weighted([
    [actionable.length > 0 ? 45 : 0, () => pick.one(actionable).id],
    [known.length > 0 ? 40 : 0, () => pick.one(known).id],
    [10, () => pick.one(['inv_0', 'inv_zz', known[0] ? `${known[0].id}0` : 'inv_a1'])],
    [5, () => pick.one(malformedInvoiceIds)],
  ]);
};

/** An org of `kind`: often one where the caller holds `permission` (and, for a customer, billing:write on its partner). */
const pickCustomerOr = (ctx: Ctx, pick: Picker, kind: 'customer' | 'partner', permission?: Permission): string => {
  const { model, principal } = ctx;
  const ofKind = [...model.orgs.values()].filter((org) => org.kind === kind);
  const allowed = permission
    ? ofKind.filter(
        (org) =>
          model.access(principal, org.id, permission) === 'allowed' &&
          (permission !== 'billing:write' || (org.parentId !== null && model.access(principal, org.parentId, permission) === 'allowed')),
      )
    : [];
  return pick.weighted([
    [allowed.length > 0 ? 40 : 0, () => pick.one(allowed).id],
    [ofKind.length > 0 ? 35 : 0, () => pick.one(ofKind).id],
    [25, () => pickOrgId(ctx, pick)],
  ]);
};

const orgOf = (ctx: Ctx, call: ParsedCall): ModelOrg => {
  const org = ctx.model.org(call.params.orgId as string);
  if (!org) throw new Error('the runner only asks `allowed` about orgs that exist');
  return org;
};

const invoiceOf = (ctx: Ctx, call: ParsedCall): ModelInvoice => {
  const invoice = ctx.model.invoices.get(call.params.invoiceId as string);
  if (!invoice) throw new Error('the runner only asks `allowed` about invoices that exist');
  return invoice;
};

/** Invoice routes are judged on the invoice's two parties (Model.invoiceAccess); an unknown invoice is missing. */
const judgeInvoice = (ctx: Ctx, call: ParsedCall, permission: Permission | null): { access: Access; target: string } => {
  if (!permission) throw new Error('invoice routes carry a permission in the route table');
  const id = call.params.invoiceId as string;
  const invoice = ctx.model.invoices.get(id);
  if (!invoice) return { access: 'missing', target: id };
  const access = ctx.model.invoiceAccess(ctx.principal, invoice, permission);
  // The customer's requesters read what was sent to them (not drafts) when their portal role shows invoices; others get 403.
  const { portal } = ctx.model;
  const requester = portal.requesterAt(ctx.principal, invoice.customerId);
  if (access === 'allowed' || !requester || permission !== 'billing:read' || invoice.status === 'draft') return { access, target: id };
  return { access: portal.holds(requester, 'view-quotes-invoices') ? 'allowed' : 'forbidden', target: id };
};

const expectInvoice = (what: string, response: ApiResponse, invoice: ModelInvoice): void => {
  expectFields(what, response.json, invoiceFields(invoice));
  if (response.headers.etag !== `"${invoice.version}"`)
    mismatch(`${what}: ETag is ${response.headers.etag}, the model says "${invoice.version}"`);
};

/* ---------- price book ---------- */

export const getPriceBook: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => ({ params: { orgId: pickCustomerOr(ctx, pick, 'partner', 'price-book:read') } }),
  allowed: (ctx, call) => {
    const org = orgOf(ctx, call);
    if (org.kind !== 'partner') return fail([409]);
    return {
      statuses: [200],
      accept: (response) => {
        const book = ctx.model.priceBooks.get(org.id) ?? { entries: [], version: 0 };
        expectFields('the price book', response.json, { partnerId: org.id, entries: book.entries, version: book.version });
        if (response.headers.etag !== `"${book.version}"`) mismatch(`ETag is ${response.headers.etag}, the model says "${book.version}"`);
      },
    };
  },
};

export const putPriceBook: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const orgId = pickCustomerOr(ctx, pick, 'partner', 'price-book:write');
    // The entry overlapping M365/EUR comes rarely, so most books are valid.
    const entries = entryPool
      .filter((candidate, index) => pick.chance(index === overlappingEntry ? 12 : 45) && candidate.sku !== '')
      .map(({ effectiveTo, ...rest }) => (effectiveTo === null && pick.chance(50) ? rest : { ...rest, effectiveTo }));
    return { params: { orgId }, body: { entries }, headers: pickIfMatch(pick, ctx.model.priceBooks.get(orgId)?.version ?? 0) };
  },
  allowed: (ctx, call) => {
    const org = orgOf(ctx, call);
    const book = ctx.model.priceBooks.get(org.id);
    const failures: number[] = [];
    if (org.kind !== 'partner') failures.push(409);
    if (call.ifMatch !== null && call.ifMatch !== (book?.version ?? 0)) failures.push(412);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        const entries = (call.body.entries as ModelPriceEntry[]).map((item) => ({ ...item }));
        const next = { entries, version: (book?.version ?? 0) + 1 };
        ctx.model.priceBooks.set(org.id, next);
        expectFields('the price book set', response.json, { partnerId: org.id, entries, version: next.version });
      },
    };
  },
};

/* ---------- lists ---------- */

const pickInvoiceQuery = (ctx: Ctx, pick: Picker, paged: boolean): Record<string, string> => {
  const query: Record<string, string> = {};
  if (pick.chance(30)) query.status = pick.one(statusPool);
  if (pick.chance(20)) query.from = pick.one(datePool);
  if (pick.chance(20)) query.to = pick.one(datePool);
  if (paged && pick.chance(50)) query.limit = String(pick.int(1, 3));
  if (pick.chance(8) && ctx.model.cursors.length > 0) query.cursor = pick.one(ctx.model.cursors).cursor;
  return query;
};

const listBindingOf = (list: string, call: ParsedCall) =>
  [list, call.params.orgId, call.query.status ?? '', call.query.from ?? '', call.query.to ?? ''].join('|');

/**
 * A partner's ledger shows its whole subtree to whoever reaches the subtree (a
 * membership or key at the partner or above carrying billing:read); to one who
 * reaches the partner alone (a service assignment), what the partner issued.
 */
const wholeLedgerFor = (ctx: Ctx, orgId: string): boolean =>
  ctx.model.org(orgId)?.kind === 'customer' ||
  ctx.model
    .admitted(ctx.principal, orgId)
    .some((grant) => (grant.kind === 'membership' || grant.kind === 'api-key') && roleCarries(grant.role, 'billing:read'));

const expectedList = (ctx: Ctx, call: ParsedCall): ModelInvoice[] =>
  ledgerOf(ctx.model, call.params.orgId as string).filter(
    (invoice) =>
      (wholeLedgerFor(ctx, call.params.orgId as string) || invoice.issuerId === call.params.orgId) &&
      (call.query.status === undefined || shownStatus(invoice) === call.query.status) &&
      (call.query.from === undefined || invoice.invoiceDate >= (call.query.from as string)) &&
      (call.query.to === undefined || invoice.invoiceDate <= (call.query.to as string)),
  );

const ledgerOrgOnly = (org: ModelOrg): Outcome | null => (org.kind === 'partner' || org.kind === 'customer' ? null : fail([409]));

export const listInvoices: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({
    params: { orgId: pickCustomerOr(ctx, pick, pick.chance(50) ? 'partner' : 'customer', 'billing:read') },
    query: pickInvoiceQuery(ctx, pick, true),
    walk: pick.chance(40),
  }),
  cursorBinding: (call) => listBindingOf('invoices', call),
  // A customer's requesters whose portal role shows quotes and invoices read its list too (all but drafts).
  access: (ctx, call) =>
    ctx.model.portal.onCustomer(ctx.principal, call.params.orgId as string, 'billing:read', ['view-quotes-invoices']).access,
  allowed: (ctx, call) => {
    const refused = ledgerOrgOnly(orgOf(ctx, call));
    if (refused) return refused;
    const { side } = ctx.model.portal.onCustomer(ctx.principal, call.params.orgId as string, 'billing:read', ['view-quotes-invoices']);
    const expected = expectedList(ctx, call).filter((invoice) => side !== 'client' || invoice.status !== 'draft');
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, listBindingOf('invoices', call), call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates('the invoices', ids);
        for (const item of walked.items) {
          const invoice = expected.find((candidate) => candidate.id === item.id);
          if (!invoice)
            return mismatch(`the invoices of ${String(call.params.orgId)} list ${String(item.id)}, which the model does not expect there`);
          expectFields(`invoice ${invoice.id} in the list`, item, invoiceFields(invoice));
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            'the invoices',
            ids,
            expected.map((invoice) => invoice.id),
            true,
          );
        }
      },
    };
  },
};

export const exportInvoices: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { orgId: pickCustomerOr(ctx, pick, pick.chance(50) ? 'partner' : 'customer', 'billing:read') },
    query: pickInvoiceQuery(ctx, pick, false),
  }),
  cursorBinding: (call) => listBindingOf('invoice-export', call),
  allowed: (ctx, call) => {
    const refused = ledgerOrgOnly(orgOf(ctx, call));
    if (refused) return refused;
    const expected = expectedList(ctx, call);
    return {
      statuses: [200],
      accept: (response) => {
        if (!response.headers['content-type']?.startsWith('text/csv')) mismatch(`the export is ${response.headers['content-type']}`);
        const lines = response.text.split('\r\n');
        if (lines.at(-1) !== '') mismatch('the export does not end with CRLF');
        const [header, ...rows] = lines.slice(0, -1);
        if (!header?.startsWith('invoiceId,number,status,customerId,')) mismatch(`the export's header is ${header}`);
        // Ids and statuses come first and never need quoting.
        const listed = rows.map((row) => row.split(',').slice(0, 3));
        expectSameIds(
          'the exported invoices',
          listed.map(([id]) => id ?? ''),
          expected.map((invoice) => invoice.id),
          true,
        );
        for (const [id, number, status] of listed) {
          const invoice = expected.find((candidate) => candidate.id === id);
          if (invoice && (status !== shownStatus(invoice) || number !== (invoice.number === null ? '' : String(invoice.number)))) {
            mismatch(`exported ${id} as ${status} #${number}, the model says ${shownStatus(invoice)} #${invoice.number}`);
          }
        }
        if (response.headers['x-next-cursor'] !== undefined) mismatch('a small export handed out a next cursor');
      },
    };
  },
};

/* ---------- invoices ---------- */

const pickLines = (pick: Picker, currency: string): DraftLine[] =>
  Array.from(
    {
      length: pick.weighted([
        [60, () => 1],
        [30, () => 2],
        [10, () => 3],
      ]),
    },
    () =>
      pick.weighted<DraftLine>([
        [40, () => ({ sku: 'M365', quantity: pick.int(1, 5) })],
        [15, () => ({ sku: 'BACKUP', quantity: 2 })],
        [10, () => ({ sku: pick.one(['M365X', 'EDR', 'NOPE']), quantity: 1 })],
        [
          30,
          () => ({ description: 'Support hours', quantity: pick.int(1, 3), unitPrice: 1999, currency: pick.chance(90) ? currency : 'GBP' }),
        ],
        [5, () => ({ sku: 'M365', quantity: 0 })],
      ]),
  );

const formatRate = (rate: string): string => {
  const [whole = '0', fraction = ''] = rate.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${Number(whole)}.${trimmed}` : String(Number(whole));
};

export const createInvoice: RouteSpec = {
  weight: 6,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createInvoice', (body) => ({ ...body, taxRate: '0' }));
    if (repeat) return repeat;
    const currency = pick.one(currencyPool);
    const body: Record<string, unknown> = {
      currency,
      taxRate: pick.one(taxRatePool),
      dueDate: pick.one(dueDatePool),
      lines: pickLines(pick, currency),
    };
    if (pick.chance(75)) body.invoiceDate = pick.one(invoiceDatePool);
    return { params: { orgId: pickCustomerOr(ctx, pick, 'customer', 'billing:write') }, body, headers: pickIdempotencyKey(pick) };
  },
  allowed: (ctx, call) => {
    const { model, principal } = ctx;
    const customer = orgOf(ctx, call);
    if (customer.kind !== 'customer' || customer.parentId === null) return fail([409]);
    const issuerId = customer.parentId;
    // The customer's own side may read its invoices, never make them: billing:write on the issuer too.
    if (model.access(principal, issuerId, 'billing:write') !== 'allowed') return fail([403]);
    const body = call.body as { currency: string; taxRate: string; invoiceDate?: string; dueDate: string; lines: DraftLine[] };
    const invoiceDate = body.invoiceDate ?? today();
    if (body.dueDate < invoiceDate) return fail([400]);
    const priced = priceDraft(body.lines, model.priceBooks.get(issuerId)?.entries ?? [], body.currency, body.taxRate, invoiceDate);
    if (priced === 409) return fail([409]);
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = (response.json as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string' || !invoiceIdPattern.test(id) || model.invoices.has(id))
          return mismatch(`the new invoice's id is ${JSON.stringify(id)}`);
        const invoice: ModelInvoice = {
          id,
          customerId: customer.id,
          customerName: customer.name,
          issuerId,
          ledgerIds: model.lineage(customer.id).slice(2),
          status: 'draft',
          number: null,
          currency: body.currency,
          taxRate: formatRate(body.taxRate),
          invoiceDate,
          dueDate: body.dueDate,
          subtotal: priced.subtotal,
          taxTotal: priced.taxTotal,
          total: priced.total,
          lineCount: body.lines.length,
          version: 1,
        };
        model.invoices.set(id, invoice);
        recordBillingEvent(model, customer.id, { type: 'invoice.created', invoiceId: id, from: null, to: null });
        expectInvoice('the new invoice', response, invoice);
        const lines = (response.json as { lines?: { description?: unknown }[] }).lines ?? [];
        expectFields(
          'the new invoice’s lines',
          { descriptions: lines.map((line) => line.description) },
          { descriptions: priced.descriptions },
        );
        if (response.headers.location !== `/v1/invoices/${id}`) mismatch(`Location is ${response.headers.location}`);
      },
    };
  },
};

export const getInvoice: RouteSpec = {
  weight: 4,
  build: (ctx, pick) => ({ params: { invoiceId: pickInvoiceId(ctx, pick, 'billing:read') } }),
  access: judgeInvoice,
  allowed: (ctx, call) => {
    const invoice = invoiceOf(ctx, call);
    return { statuses: [200], accept: (response) => expectInvoice('the invoice', response, invoice) };
  },
};

/** A state change of an invoice: its refusals (412 for a stale If-Match, 409 for its state or the rule), else the change. */
const transitionSpec = (
  weight: number,
  /** The states the action takes: invoices in them are picked more often. */
  from: readonly string[],
  body: (ctx: Ctx, pick: Picker, invoice: ModelInvoice | undefined) => Record<string, unknown> | undefined,
  change: (ctx: Ctx, call: ParsedCall, invoice: ModelInvoice) => { refusals: number[]; apply: () => void },
): RouteSpec => ({
  weight,
  build: (ctx, pick) => {
    const invoiceId = pickInvoiceId(ctx, pick, 'billing:write', from);
    const invoice = ctx.model.invoices.get(invoiceId);
    const sent = body(ctx, pick, invoice);
    return { params: { invoiceId }, ...(sent === undefined ? {} : { body: sent }), headers: pickIfMatch(pick, invoice?.version) };
  },
  access: judgeInvoice,
  allowed: (ctx, call) => {
    const invoice = invoiceOf(ctx, call);
    const { refusals, apply } = change(ctx, call, invoice);
    if (call.ifMatch !== null && call.ifMatch !== invoice.version) refusals.push(412);
    if (refusals.length > 0) return fail(refusals);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        apply();
        invoice.version += 1;
        expectInvoice('the changed invoice', response, invoice);
      },
    };
  },
});

export const issueInvoice = transitionSpec(
  4,
  ['draft'],
  () => undefined,
  (ctx, _call, invoice) => ({
    refusals: invoice.status === 'draft' ? [] : [409],
    apply: () => {
      const number = (ctx.model.invoiceCounters.get(invoice.issuerId) ?? 0) + 1;
      ctx.model.invoiceCounters.set(invoice.issuerId, number);
      invoice.number = number;
      invoice.status = 'issued';
      recordBillingEvent(ctx.model, invoice.customerId, { type: 'invoice.issued', invoiceId: invoice.id, from: null, to: null });
    },
  }),
);

export const payInvoice = transitionSpec(
  3,
  ['issued'],
  (_ctx, pick, invoice) => ({
    amount: pick.weighted([
      [75, () => invoice?.total ?? 100],
      [15, () => (invoice?.total ?? 100) + pick.one([-1, 1])],
      [10, () => 0],
    ]),
    currency: pick.chance(85) ? (invoice?.currency ?? 'EUR') : pick.one(['EUR', 'USD', 'JPY', 'XXX']),
    ...(pick.chance(40) ? { reference: pick.one(['SEPA-1', 'card 4242', '=cmd']) } : {}),
  }),
  (ctx, call, invoice) => {
    const payment = call.body as { amount: number; currency: string };
    const refusals: number[] = [];
    if (invoice.status !== 'issued') refusals.push(409);
    if (payment.currency !== invoice.currency || payment.amount !== invoice.total) refusals.push(409);
    return {
      refusals,
      apply: () => {
        invoice.status = 'paid';
        recordBillingEvent(ctx.model, invoice.customerId, { type: 'invoice.paid', invoiceId: invoice.id, from: null, to: null });
      },
    };
  },
);

export const voidInvoice = transitionSpec(
  3,
  ['draft', 'issued'],
  (_ctx, pick) => ({
    reason: pick.weighted([
      [90, () => pick.one(['Duplicate', 'Raised in error, "sorry"', '+1 typo'])],
      [10, () => '  '],
    ]),
  }),
  (ctx, _call, invoice) => ({
    refusals: invoice.status === 'draft' || invoice.status === 'issued' ? [] : [409],
    apply: () => {
      invoice.status = 'void';
      recordBillingEvent(ctx.model, invoice.customerId, { type: 'invoice.voided', invoiceId: invoice.id, from: null, to: null });
    },
  }),
);

/* ---------- billing history ---------- */

const eventLine = (event: { type?: unknown; invoiceId?: unknown; from?: unknown; to?: unknown }) =>
  `${String(event.type)} ${String(event.invoiceId ?? '-')} ${String(event.from ?? '-')}→${String(event.to ?? '-')}`;

export const getBillingHistory: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => ({
    params: { orgId: pickCustomerOr(ctx, pick, 'customer', 'billing:read') },
    query: pick.chance(50) ? { limit: String(pick.int(1, 3)) } : ({} as Record<string, string>),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => `billing-history|${String(call.params.orgId)}`,
  allowed: (ctx, call) => {
    const org = orgOf(ctx, call);
    if (org.kind !== 'customer') return fail([409]);
    const expected = (ctx.model.billingEvents.get(org.id) ?? []).map(eventLine).sort();
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, `billing-history|${org.id}`, call.walk);
        let previous = '\uffff';
        for (const item of walked.items) {
          const at = String(item.at);
          if (at > previous) mismatch(`billing history is not newest first: ${at} after ${previous}`);
          previous = at;
        }
        if (walked.complete && call.query.cursor === undefined) {
          // Events of one millisecond may come in either order: compared as a set, the order checked by time above.
          const listed = walked.items
            .map((item) => {
              const invoice = item.invoice as { id?: string } | null;
              const subscription = item.subscription as { from?: string | null; to?: string } | null;
              return eventLine({
                type: item.type,
                invoiceId: invoice?.id ?? null,
                from: subscription?.from ?? null,
                to: subscription?.to ?? null,
              });
            })
            .sort();
          if (listed.join('\n') !== expected.join('\n'))
            mismatch(`billing history of ${org.id}: ${JSON.stringify(listed)}, the model says ${JSON.stringify(expected)}`);
        }
      },
    };
  },
};

/** For world building: the model's invoice for a draft the world made through the domain. */
export const seededInvoice = (ctx: { model: Ctx['model'] }, customer: ModelOrg, id: string, lines: DraftLine[]): ModelInvoice => {
  const issuerId = customer.parentId as string;
  const priced = priceDraft(lines, ctx.model.priceBooks.get(issuerId)?.entries ?? [], 'EUR', '20', '2026-03-01');
  if (priced === 409) throw new Error('the world’s seed invoice is priced from the world’s price book');
  return {
    id,
    customerId: customer.id,
    customerName: customer.name,
    issuerId,
    ledgerIds: ctx.model.lineage(customer.id).slice(2),
    status: 'draft',
    number: null,
    currency: 'EUR',
    taxRate: '20',
    invoiceDate: '2026-03-01',
    dueDate: '2099-12-31',
    subtotal: priced.subtotal,
    taxTotal: priced.taxTotal,
    total: priced.total,
    lineCount: lines.length,
    version: 1,
  };
};
