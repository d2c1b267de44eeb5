import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/http/routes';
import type { LocalRuntime } from '#infra/local/runtime';
import { demoOrg, demoUser, signIn, startDemoRuntime } from './support/demo.ts';
import { allPages, type Client, clientFor, expectJson, expectProblem, type Page, type RequestOptions } from './support/http.ts';

/**
 * The client portal over real HTTP, on the demo data `npm start` seeds, as
 * issue 6 names its people: Alpine's client admin, its approver, a plain
 * requester who also belongs to Coho (and switches between the two), and a
 * Contoso technician on the MSP side; then Alpine switching partner access
 * off, and an outsider who must learn nothing. Describes run in order and
 * share what earlier ones changed.
 */

interface Ticket {
  id: string;
  customerId: string;
  title: string;
  status: string;
  openedBy: string;
  side: 'client' | 'msp';
  version: number;
}
interface Comment {
  id: string;
  text: string;
  side: 'client' | 'msp';
}
interface Summary {
  viewer: 'msp' | 'client';
  tickets: Record<string, number> | null;
  activeProjects: number | null;
  assets: number | null;
  documents: number | null;
  openQuotes: number | null;
  unpaidInvoices: number | null;
}
interface Company {
  customerId: string;
  customerName: string;
  portalRole: string;
}
interface Quote {
  id: string;
  status: string;
  total: number;
  decidedBy: string | null;
  version: number;
}
interface SharedDocument {
  id: string;
  title: string;
}
interface Document extends SharedDocument {
  content: string;
  sharedWith: string | null;
  version: number;
}

const portalUser = { clientAdmin: 'it@alpine.test', approver: 'cfo@alpine.test', twoCompanies: 'jo@alpine.test' } as const;

let runtime: LocalRuntime;
let clientAdmin: Client;
let approver: Client;
let jo: Client;
let technician: Client;
let alpineAdmin: Client;

beforeAll(async () => {
  runtime = await startDemoRuntime();
  [clientAdmin, approver, jo, technician, alpineAdmin] = await Promise.all([
    signIn(runtime, portalUser.clientAdmin),
    signIn(runtime, portalUser.approver),
    signIn(runtime, portalUser.twoCompanies),
    signIn(runtime, demoUser.technician),
    signIn(runtime, demoUser.customerAdmin),
  ]);
  // The demo seed is larger with the portal's data; on a busy machine it can take over a minute.
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
});

const alpine = (rest: string) => `/v1/orgs/${demoOrg.alpine}${rest}`;
const coho = (rest: string) => `/v1/orgs/${demoOrg.coho}${rest}`;
const titles = (items: readonly { title: string }[]) => items.map((item) => item.title).sort();
const userIdOf = async (client: Client): Promise<string> => expectJson(await client.get<{ userId: string }>('/v1/me'), 200).userId;
const newTicket = { title: 'Screen flickers', description: 'Since the update', priority: 'low', category: 'hardware' };

describe('as Alpine’s client admin', () => {
  it('belongs to one company, as client-admin', async () => {
    const { items } = expectJson(await clientAdmin.get<{ items: Company[] }>('/v1/me/companies'), 200);
    expect(items).toEqual([
      { customerId: demoOrg.alpine, customerName: 'Alpine Ski House', portalRole: 'client-admin', permissions: expect.any(Array) },
    ]);
  });

  it('sees every ticket of the company, the project shown to clients, all assets, the shared document and the quote', async () => {
    const tickets = expectJson(await clientAdmin.get<Page<Ticket>>(alpine('/tickets')), 200);
    const projects = expectJson(await clientAdmin.get<Page<{ name: string }>>(alpine('/projects')), 200);
    const assets = expectJson(await clientAdmin.get<Page<{ name: string }>>(alpine('/assets')), 200);
    const documents = expectJson(await clientAdmin.get<Page<SharedDocument>>(alpine('/documents')), 200);
    const quotes = expectJson(await clientAdmin.get<Page<Quote>>(alpine('/quotes')), 200);

    expect(titles(tickets.items)).toEqual(['Laptop does not boot', 'New starter on Monday', 'VPN drops every hour']);
    expect(projects.items.map((project) => project.name)).toEqual(['Office 365 migration']);
    expect(assets.items.map((asset) => asset.name).sort()).toEqual(['File server', "Jo's laptop"]);
    expect(titles(documents.items)).toEqual(['Alpine network plan']);
    expect(quotes.items.map((quote) => [quote.status, quote.total])).toEqual([['open', 2 * 149_900 + 6 * 9_500]]);
  });

  it('reads the shared document, and the summary of what its role shows', async () => {
    const [shared] = expectJson(await clientAdmin.get<Page<SharedDocument>>(alpine('/documents')), 200).items;
    const document = expectJson(await clientAdmin.get<Document>(`/v1/documents/${shared?.id}`), 200);
    const summary = expectJson(await clientAdmin.get<Summary>(alpine('/portal/summary')), 200);

    expect(document).toMatchObject({ title: 'Alpine network plan', sharedWith: demoOrg.alpine, content: expect.stringContaining('VLAN') });
    expect(summary).toMatchObject({
      viewer: 'client',
      tickets: { open: 2, inProgress: 1, waitingOnClient: 0, resolved: 0, closed: 0 },
      activeProjects: 1,
      assets: 2,
      documents: 1,
      openQuotes: 1,
      // The demo's Alpine invoices: one paid, one issued, one draft; only the issued one is unpaid.
      unpaidInvoices: 1,
    });
    const invoices = expectJson(await clientAdmin.get<Page<{ id: string; status: string }>>(alpine('/invoices')), 200).items;
    expect(invoices.map((invoice) => invoice.status).sort()).toEqual(['issued', 'paid']);
  });

  it('changes nothing that is the MSP’s: projects 403, a quote for itself 403; and the platform side stays 404', async () => {
    expectProblem(await clientAdmin.post(alpine('/projects'), { name: 'Mine', visibleToClient: true }), 403, 'forbidden');
    const quote = { title: 'Q', currency: 'EUR', lines: [{ description: 'x', quantity: 1, unitAmount: 1 }] };
    expectProblem(await clientAdmin.post(alpine('/quotes'), quote), 403, 'forbidden');
    expectProblem(await clientAdmin.get(`/v1/orgs/${demoOrg.alpine}`), 404, 'not-found');
    expectProblem(await clientAdmin.get(alpine('/members')), 404, 'not-found');
    expectProblem(await clientAdmin.get(alpine('/requesters')), 404, 'not-found');
  });
});

describe('as Alpine’s approver', () => {
  it('accepts the open quote, once', async () => {
    const [quote] = expectJson(await approver.get<Page<Quote>>(alpine('/quotes')), 200).items;
    const accepted = expectJson(await approver.post<Quote>(`/v1/quotes/${quote?.id}/accept`), 200);

    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: await userIdOf(approver), version: 2 });
    expectProblem(await approver.post(`/v1/quotes/${quote?.id}/decline`), 409, 'conflict');
    expect(expectJson(await clientAdmin.get<Summary>(alpine('/portal/summary')), 200).openQuotes).toBe(0);
  });

  it('sees only its own tickets, so its summary has no company-wide ticket counts', async () => {
    expect(expectJson(await approver.get<Page<Ticket>>(alpine('/tickets')), 200).items).toEqual([]);
    const created = expectJson(await approver.post<Ticket>(alpine('/tickets'), newTicket), 201);

    expect(expectJson(await approver.get<Page<Ticket>>(alpine('/tickets')), 200).items.map((ticket) => ticket.id)).toEqual([created.id]);
    expect(expectJson(await approver.get<Summary>(alpine('/portal/summary')), 200)).toMatchObject({ tickets: null, activeProjects: 1 });
  });
});

describe('as a plain requester of two companies', () => {
  let own: Ticket;

  it('lists both companies, with its role in each', async () => {
    const { items } = expectJson(await jo.get<{ items: Company[] }>('/v1/me/companies'), 200);
    expect(items.map((company) => [company.customerId, company.portalRole]).sort()).toEqual([
      [demoOrg.alpine, 'requester'],
      [demoOrg.coho, 'approver'],
    ]);
  });

  it('at Alpine sees its own ticket and the laptop mapped to it, and neither quotes nor documents', async () => {
    const tickets = expectJson(await jo.get<Page<Ticket>>(alpine('/tickets')), 200);
    own = tickets.items[0] as Ticket;

    expect(titles(tickets.items)).toEqual(['Laptop does not boot']);
    expect(expectJson(await jo.get<Page<{ name: string }>>(alpine('/assets')), 200).items.map((asset) => asset.name)).toEqual([
      "Jo's laptop",
    ]);
    expectProblem(await jo.get(alpine('/quotes')), 403, 'forbidden');
    expectProblem(await jo.get(alpine('/documents')), 403, 'forbidden');
  });

  it('switches to Coho by naming it: quotes are open to it there (as an approver), Alpine’s tickets of others stay hidden', async () => {
    expect(expectJson(await jo.get<Page<Quote>>(coho('/quotes')), 200).items).toEqual([]);
    const others = expectJson(await clientAdmin.get<Page<Ticket>>(alpine('/tickets')), 200).items.filter(
      (t) => t.openedBy !== own.openedBy,
    );

    for (const ticket of others) expectProblem(await jo.get(`/v1/tickets/${ticket.id}`), 404, 'not-found');
    expectProblem(await jo.get(coho('/assets')), 403, 'forbidden');
  });

  it('edits its own open ticket, never its status', async () => {
    const edited = expectJson(await jo.patch<Ticket>(`/v1/tickets/${own.id}`, { description: 'Black screen, fan spinning' }), 200);
    expect(edited.version).toBe(own.version + 1);
    expectProblem(await jo.patch(`/v1/tickets/${own.id}`, { status: 'closed' }), 403, 'forbidden');
    own = edited;
  });
});

describe('as a Contoso technician (the MSP side)', () => {
  let ticketId: string;

  it('works Jo’s ticket: changes its status and answers in the conversation, which Jo sees marked as the MSP’s', async () => {
    const tickets = expectJson(await technician.get<Page<Ticket>>(alpine('/tickets'), { query: { status: 'open' } }), 200);
    const jos = tickets.items.find((ticket) => ticket.title === 'Laptop does not boot') as Ticket;
    ticketId = jos.id;

    const worked = expectJson(
      await technician.patch<Ticket>(`/v1/tickets/${ticketId}`, { status: 'in_progress' }, { headers: { 'if-match': `"${jos.version}"` } }),
      200,
    );
    expectJson(await technician.post(`/v1/tickets/${ticketId}/comments`, { text: 'Bringing a spare today' }), 201);
    expectJson(await jo.post(`/v1/tickets/${ticketId}/comments`, { text: 'Thanks!' }), 201);

    expect(worked.status).toBe('in_progress');
    const { items } = await allPages<Comment>((cursor) => jo.get(`/v1/tickets/${ticketId}/comments`, { query: { limit: 1, cursor } }));
    expect(items.map((comment) => [comment.side, comment.text])).toEqual([
      ['msp', 'Bringing a spare today'],
      ['client', 'Thanks!'],
    ]);
    expectProblem(await jo.patch(`/v1/tickets/${ticketId}`, { description: 'More detail' }), 409, 'conflict');
  });

  it('shares a document with one customer at a time: moving it needs the old share withdrawn (409 naming the step)', async () => {
    const document = expectJson(
      await technician.post<Document>(`/v1/orgs/${demoOrg.contoso}/documents`, {
        title: 'Backup policy',
        category: 'backup',
        content: 'Nightly',
      }),
      201,
    );
    expectJson(await technician.put<Document>(`/v1/documents/${document.id}/shares/${demoOrg.alpine}`), 200);
    expect(titles(expectJson(await clientAdmin.get<Page<SharedDocument>>(alpine('/documents')), 200).items)).toContain('Backup policy');

    const moved = expectProblem(await technician.put(`/v1/documents/${document.id}/shares/${demoOrg.coho}`), 409, 'conflict');
    expect(moved.detail).toContain(`DELETE /v1/documents/${document.id}/shares/${demoOrg.alpine}`);

    expect((await technician.delete(`/v1/documents/${document.id}/shares/${demoOrg.alpine}`)).status).toBe(204);
    expectProblem(await clientAdmin.get(`/v1/documents/${document.id}`), 404, 'not-found');
    expect(expectJson(await technician.put<Document>(`/v1/documents/${document.id}/shares/${demoOrg.coho}`), 200).sharedWith).toBe(
      demoOrg.coho,
    );
  });

  it('adds a requester (invited; locally by token), who can use the portal at once; removing it ends that on the next call', async () => {
    const added = expectJson(
      await technician.post<{ userId: string; invitation: string }>(alpine('/requesters'), {
        email: 'sam@alpine.test',
        portalRole: 'requester',
      }),
      201,
    );
    const sam = await signIn(runtime, 'sam@alpine.test');

    expect(added.invitation).toBe('local-token');
    expectJson(await sam.post(alpine('/tickets'), newTicket), 201);
    expect((await technician.delete(alpine(`/requesters/${added.userId}`))).status).toBe(204);
    expectProblem(await sam.get(alpine('/tickets')), 404, 'not-found');
  });

  it('has its own ticket routes audited in Alpine’s log', async () => {
    const deadline = Date.now() + 30_000;
    let actions: string[] = [];
    while (Date.now() < deadline) {
      const { items } = expectJson(await alpineAdmin.get<Page<{ action: string }>>(alpine('/audit'), { query: { limit: 100 } }), 200);
      actions = items.map((entry) => entry.action);
      if (['ticket.status_changed', 'ticket.commented', 'requester.removed'].every((action) => actions.includes(action))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(actions).toEqual(
      expect.arrayContaining([
        'ticket.created',
        'ticket.status_changed',
        'ticket.commented',
        'requester.added',
        'requester.removed',
        'document.shared',
      ]),
    );
  });
});

describe('when Alpine switches partner access off', () => {
  beforeAll(async () => {
    expectJson(await alpineAdmin.put(alpine('/partner-access'), { enabled: false }), 200);
  });
  afterAll(async () => {
    expectJson(await alpineAdmin.put(alpine('/partner-access'), { enabled: true }), 200);
  });

  it('stops the MSP side at Alpine (403 partner-access-off), not Alpine’s own people', async () => {
    expectProblem(await technician.get(alpine('/tickets')), 403, 'partner-access-off');
    expectProblem(await technician.get(alpine('/portal/summary')), 403, 'partner-access-off');
    expect(expectJson(await clientAdmin.get<Page<Ticket>>(alpine('/tickets')), 200).items.length).toBeGreaterThan(0);
    expect(expectJson(await alpineAdmin.get<Summary>(alpine('/portal/summary')), 200).viewer).toBe('msp');
  });
});

describe('as an outsider', () => {
  let outsider: Client;
  const itemIds: Record<string, string> = {};
  beforeAll(async () => {
    const issued = await clientFor(runtime.url).post<{ token: string }>('/local/token', { email: 'stranger@elsewhere.test' });
    outsider = clientFor(runtime.url, expectJson(issued, 200).token);
    const first = async <T extends { id: string }>(path: string) => (expectJson(await technician.get<Page<T>>(path), 200).items[0] as T).id;
    itemIds.ticketId = await first(alpine('/tickets'));
    itemIds.projectId = await first(alpine('/projects'));
    itemIds.assetId = await first(alpine('/assets'));
    itemIds.quoteId = await first(alpine('/quotes'));
    itemIds.docId = await first(alpine('/documents'));
    itemIds.customerId = demoOrg.alpine;
  });

  /** A valid request for each portal route outside `/v1/orgs/…` that names an item, so only scope decides. */
  const validRequests: Record<string, RequestOptions> = {
    getTicket: {},
    updateTicket: { body: { status: 'closed' } },
    listTicketComments: {},
    addTicketComment: { body: { text: 'Hello' } },
    updateProject: { body: { progress: 100 } },
    setAssetRequesters: { body: { userIds: [] } },
    getDocument: {},
    shareDocument: {},
    withdrawDocumentShare: {},
    acceptQuote: {},
    declineQuote: {},
  };
  const itemRoutes = routes.filter(
    (route) => !route.path.startsWith('/v1/orgs/') && /\{\w+Id\}/.test(route.path) && route.group.name === 'portal',
  );

  it('has a valid request for every portal item route', () => {
    expect(itemRoutes.map((route) => route.id).sort()).toEqual(Object.keys(validRequests).sort());
  });

  it.each(itemRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 404, real item or not',
    async (_, route) => {
      for (const real of [true, false]) {
        const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
          real || name === 'customerId'
            ? (itemIds[name] ?? '')
            : `${(itemIds[name] ?? 'x_').split('_')[0]}_${randomBytes(6).toString('hex')}`,
        );
        expectProblem(await outsider.request(route.method, path, validRequests[route.id] ?? {}), 404, 'not-found');
      }
    },
  );

  it('belongs to no company', async () => {
    expect(expectJson(await outsider.get('/v1/me/companies'), 200)).toEqual({ items: [] });
  });
});
