import type { ModelRequester, ModelTicket, Verdict } from '../model/portal.ts';
import {
  type Ctx,
  expectFields,
  fail,
  mismatch,
  type ParsedCall,
  pickIdempotencyKey,
  pickIfMatch,
  pickListQuery,
  type RouteSpec,
  repeatEarlierCreate,
} from '../spec.ts';
import type { Picker } from '../support/picker.ts';
import { byKey, expectNoDuplicates, expectSameIds, walkPages } from './lists.ts';
import { expectEtag, newestFirst, newIdOf, pickItemId, pickPortalOrgId, pickText, ticketView } from './portal-support.ts';

const statuses = ['open', 'in_progress', 'waiting_on_client', 'resolved', 'closed'] as const;

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;
const ticketOf = (ctx: Ctx, call: ParsedCall): ModelTicket | undefined => ctx.model.portal.tickets.get(call.params.ticketId as string);
const callerId = (ctx: Ctx) => ctx.principal?.principalId ?? '';

const pickTicketId = (ctx: Ctx, pick: Picker) => pickItemId(ctx, pick, 'tkt', ctx.model.portal.tickets.values(), (t) => t.customerId);

const readVerdict =
  (ctx: Ctx, ticket: ModelTicket) =>
  (requester: ModelRequester): Verdict =>
    ctx.model.portal.sees(requester, ticket) ? 'allowed' : 'hidden';

const ticketsBinding = (call: ParsedCall) => `tickets|${orgIdOf(call)}|${String(call.query.status ?? '')}|${call.query.mine === true}`;

export const listTickets: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const query = pickListQuery(ctx.model, pick, false);
    if (pick.chance(30)) query.status = pick.one([...statuses, 'new']);
    if (pick.chance(25)) query.mine = pick.one(['true', 'false', 'yes']);
    return { params: { orgId: pickPortalOrgId(ctx, pick) }, query, walk: pick.chance(50) };
  },
  cursorBinding: ticketsBinding,
  access: (ctx, call) =>
    ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:read', ['view-company-tickets', 'view-own-tickets']).access,
  allowed: (ctx, call) => {
    const { portal } = ctx.model;
    const orgId = orgIdOf(call);
    const { side } = portal.onCustomer(ctx.principal, orgId, 'portal:read', ['view-company-tickets', 'view-own-tickets']);
    const requester = portal.requesterAt(ctx.principal, orgId);
    const expected = [...portal.tickets.values()]
      .filter((t) => t.customerId === orgId)
      .filter((t) => call.query.status === undefined || t.status === call.query.status)
      .filter((t) => call.query.mine !== true || t.openedBy === callerId(ctx))
      .filter((t) => side === 'msp' || (requester !== undefined && portal.sees(requester, t)))
      .map((t) => t.id)
      .sort(newestFirst);
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, ticketsBinding(call), call.walk);
        const ids = walked.items.map((item) => item.id as string);
        expectNoDuplicates(`tickets of ${orgId}`, ids);
        for (const item of walked.items) {
          const ticket = portal.tickets.get(item.id as string);
          if (!ticket || !expected.includes(ticket.id))
            return mismatch(`the tickets of ${orgId} list ${String(item.id)}, out of this caller's sight`);
          expectFields(`ticket ${ticket.id}`, item, ticketView(ticket));
        }
        if (walked.complete && call.query.cursor === undefined) expectSameIds(`tickets of ${orgId}`, ids, expected, true);
      },
    };
  },
};

const pickTicketBody = (pick: Picker): Record<string, unknown> => ({
  title: pickText(pick),
  description: pickText(pick),
  priority: pick.chance(95) ? pick.one(['low', 'normal', 'high', 'urgent']) : 'whenever',
  category: pick.chance(95) ? pick.one(['hardware', 'software', 'network', 'account', 'other']) : 'misc',
});

export const createTicket: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'createTicket', (body) => ({ ...body, title: `${body.title} again` }));
    if (repeat) return repeat;
    return { params: { orgId: pickPortalOrgId(ctx, pick) }, body: pickTicketBody(pick), headers: pickIdempotencyKey(pick) };
  },
  access: (ctx, call) => ctx.model.portal.onCustomer(ctx.principal, orgIdOf(call), 'portal:write', ['create-tickets']).access,
  allowed: (ctx, call) => {
    const { model } = ctx;
    const orgId = orgIdOf(call);
    if (model.org(orgId)?.kind !== 'customer') return fail([409]);
    const { side } = model.portal.onCustomer(ctx.principal, orgId, 'portal:write', ['create-tickets']);
    const body = call.body as Pick<ModelTicket, 'title' | 'description' | 'priority' | 'category'>;
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'tkt', model.portal.tickets);
        const ticket: ModelTicket = {
          id,
          customerId: orgId,
          ...body,
          status: 'open',
          openedBy: callerId(ctx),
          side: side ?? 'msp',
          version: 1,
        };
        model.portal.tickets.set(id, ticket);
        expectFields('the new ticket', response.json, ticketView(ticket));
      },
    };
  },
};

export const getTicket: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({ params: { ticketId: pickTicketId(ctx, pick) } }),
  target: (call) => call.params.ticketId as string,
  access: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    return ticket ? ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:read', readVerdict(ctx, ticket)).access : 'missing';
  },
  allowed: (ctx, call) => ({
    statuses: [200],
    accept: (response) => {
      const ticket = ticketOf(ctx, call);
      if (!ticket) return mismatch('unreachable: the runner checked the ticket');
      expectFields('the ticket', response.json, ticketView(ticket));
      expectEtag(response.headers, ticket.version);
    },
  }),
};

/** The client's rules for a change: the MSP side changes status; a client edits the tickets it opened, with create-tickets. */
const editVerdict =
  (ctx: Ctx, ticket: ModelTicket, body: Record<string, unknown>) =>
  (requester: ModelRequester): Verdict => {
    const { portal } = ctx.model;
    if (!portal.sees(requester, ticket)) return 'hidden';
    if (body.status !== undefined || ticket.openedBy !== requester.userId || !portal.holds(requester, 'create-tickets')) return 'forbidden';
    return 'allowed';
  };

export const updateTicket: RouteSpec = {
  weight: 3,
  build: (ctx, pick) => {
    const ticketId = pickTicketId(ctx, pick);
    const body: Record<string, unknown> = {};
    if (pick.chance(50)) body.status = pick.chance(95) ? pick.one(statuses) : 'reopened';
    if (pick.chance(30)) body.description = pickText(pick);
    if (pick.chance(20)) body.title = pickText(pick);
    if (pick.chance(15)) body.priority = pick.one(['low', 'urgent']);
    if (pick.chance(10)) body.category = pick.one(['network', 'other']);
    if (Object.keys(body).length === 0 && pick.chance(85)) body.status = pick.one(statuses);
    return { params: { ticketId }, body, headers: pickIfMatch(pick, ctx.model.portal.tickets.get(ticketId)?.version) };
  },
  target: (call) => call.params.ticketId as string,
  access: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    return ticket
      ? ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:write', editVerdict(ctx, ticket, call.body)).access
      : 'missing';
  },
  allowed: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    if (!ticket) throw new Error('unreachable: the runner checked the ticket');
    const { side } = ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:write', editVerdict(ctx, ticket, call.body));
    const failures: number[] = [];
    if (call.ifMatch !== null && call.ifMatch !== ticket.version) failures.push(412);
    if (ticket.status === 'closed') failures.push(409);
    if (side === 'client' && ticket.status !== 'open') failures.push(409);
    if (failures.length > 0) return fail(failures);
    return {
      statuses: [200],
      mutates: true,
      accept: (response) => {
        Object.assign(ticket, call.body);
        ticket.version += 1;
        expectFields('the changed ticket', response.json, ticketView(ticket));
        expectEtag(response.headers, ticket.version);
      },
    };
  },
};

const commentsBinding = (call: ParsedCall) => `comments|${String(call.params.ticketId)}`;

export const listTicketComments: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => ({
    params: { ticketId: pickTicketId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  target: (call) => call.params.ticketId as string,
  cursorBinding: commentsBinding,
  access: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    return ticket ? ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:read', readVerdict(ctx, ticket)).access : 'missing';
  },
  allowed: (ctx, call) => {
    const ticketId = call.params.ticketId as string;
    const expected = [...ctx.model.portal.comments.values()].filter((c) => c.ticketId === ticketId).sort(byKey((c) => c.id));
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const walked = await walkPages(response, tools, commentsBinding(call), call.walk);
        for (const item of walked.items) {
          const comment = expected.find((c) => c.id === item.id);
          if (!comment) return mismatch(`the comments of ${ticketId} list ${String(item.id)}`);
          expectFields(`comment ${comment.id}`, item, { ticketId, text: comment.text, authorId: comment.authorId, side: comment.side });
        }
        if (walked.complete && call.query.cursor === undefined) {
          expectSameIds(
            `comments of ${ticketId}`,
            walked.items.map((item) => item.id as string),
            expected.map((c) => c.id),
            true,
          );
        }
      },
    };
  },
};

const commentVerdict =
  (ctx: Ctx, ticket: ModelTicket) =>
  (requester: ModelRequester): Verdict => {
    const { portal } = ctx.model;
    if (!portal.sees(requester, ticket)) return 'hidden';
    return portal.holds(requester, 'create-tickets') ? 'allowed' : 'forbidden';
  };

export const addTicketComment: RouteSpec = {
  weight: 2,
  build: (ctx, pick) => {
    const repeat = repeatEarlierCreate(ctx, pick, 'addTicketComment', (body) => ({ ...body, text: `${body.text} again` }));
    if (repeat) return repeat;
    return { params: { ticketId: pickTicketId(ctx, pick) }, body: { text: pickText(pick) }, headers: pickIdempotencyKey(pick) };
  },
  target: (call) => call.params.ticketId as string,
  access: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    return ticket
      ? ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:write', commentVerdict(ctx, ticket)).access
      : 'missing';
  },
  allowed: (ctx, call) => {
    const ticket = ticketOf(ctx, call);
    if (!ticket) throw new Error('unreachable: the runner checked the ticket');
    if (ticket.status === 'closed') return fail([409]);
    const { side } = ctx.model.portal.onItem(ctx.principal, ticket.customerId, 'portal:write', commentVerdict(ctx, ticket));
    const text = (call.body as { text: string }).text;
    return {
      statuses: [201],
      mutates: true,
      accept: (response) => {
        const id = newIdOf(response.json, 'cmt', ctx.model.portal.comments);
        const comment = { id, ticketId: ticket.id, text, authorId: callerId(ctx), side: side ?? 'msp' };
        ctx.model.portal.comments.set(id, comment);
        expectFields('the new comment', response.json, comment);
      },
    };
  },
};
