import { beforeAll, describe, expect, it } from 'vitest';
import { loadCallerGrants } from '#domain/access/grants';
import { countCalls } from '#domain/db/call-counter';
import { getOrg } from '#domain/orgs/orgs';
import { listMyCompanies } from '#domain/portal/companies';
import { getPortalSummary } from '#domain/portal/summary';
import { addTicketComment, listTicketComments } from '#domain/portal/ticket-comments';
import { createTicket, getTicket, listTickets, updateTicket } from '#domain/portal/tickets';
import { actor, as } from './support/fixture.ts';
import { portalWorld, restrict } from './support/portal-fixture.ts';

let world: Awaited<ReturnType<typeof portalWorld>>;
beforeAll(async () => {
  world = await portalWorld();
});

const newTicket = {
  title: 'Printer jam',
  description: 'The second floor printer eats paper',
  priority: 'normal',
  category: 'hardware',
} as const;

describe('requester grants', () => {
  it('are read by the same one Query as the platform grants', async () => {
    const { calls, result } = await countCalls(() => loadCallerGrants(world.plain.caller));

    expect(calls.byCommand).toEqual({ QueryCommand: 1 });
    expect(result.grants).toEqual([]);
    expect(result.requesters.map((grant) => [grant.orgId, grant.portalRole]).sort()).toEqual(
      [
        [world.customerA.id, 'requester'],
        [world.customerSubA.id, 'client-admin'],
      ].sort(),
    );
  });

  it('reach nothing on the platform side: a requester reading its own customer is answered 404', async () => {
    await expect(getOrg(as(world.clientAdmin.caller, 'org:read'), world.customerA.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('list the companies a requester belongs to, with its role in each', async () => {
    const { items } = await listMyCompanies(world.plain.caller);

    expect(items.map((company) => [company.customerId, company.customerName, company.portalRole]).sort()).toEqual(
      [
        [world.customerA.id, world.customerA.name, 'requester'],
        [world.customerSubA.id, world.customerSubA.name, 'client-admin'],
      ].sort(),
    );
  });
});

describe('tickets by side and role', () => {
  let mine: string;
  let staffs: string;
  beforeAll(async () => {
    mine = (await createTicket(as(world.plain.caller, 'portal:write'), world.customerA.id, newTicket, actor)).id;
    staffs = (await createTicket(as(world.technician, 'portal:write'), world.customerA.id, { ...newTicket, title: 'Phoned in' }, actor)).id;
  });

  it('marks who opened a ticket and from which side', async () => {
    const ticket = await getTicket(as(world.technician, 'portal:read'), mine);
    expect(ticket).toMatchObject({ openedBy: world.plain.userId, side: 'client', status: 'open', version: 1 });
    expect(await getTicket(as(world.technician, 'portal:read'), staffs)).toMatchObject({ side: 'msp' });
  });

  it('shows a plain requester its own tickets only, and a client admin all of the company’s', async () => {
    const own = await listTickets(as(world.plain.caller, 'portal:read'), world.customerA.id, {});
    const company = await listTickets(as(world.clientAdmin.caller, 'portal:read'), world.customerA.id, {});

    expect(own.items.map((ticket) => ticket.id)).toEqual([mine]);
    expect(company.items.map((ticket) => ticket.id)).toEqual([staffs, mine]);
  });

  it('answers 404 for a ticket a requester’s role does not show, as for a missing one', async () => {
    const hidden = getTicket(as(world.plain.caller, 'portal:read'), staffs);
    await expect(hidden).rejects.toMatchObject({ statusCode: 404, message: `Ticket ${staffs} was not found` });
    await expect(getTicket(as(world.plain.caller, 'portal:read'), 'tkt_0')).rejects.toMatchObject({
      message: 'Ticket tkt_0 was not found',
    });
  });

  it('decides a requester’s read in one round (ticket and grants), the MSP side’s in two (then the customer’s org)', async () => {
    const client = await countCalls(() => getTicket(as(world.plain.caller, 'portal:read'), mine));
    const staff = await countCalls(() => getTicket(as(world.technician, 'portal:read'), mine));

    expect(client.calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
    expect(staff.calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1 });
  });

  it('lists a page in one round: the org, the grants and the page read in parallel', async () => {
    const { calls } = await countCalls(() => listTickets(as(world.plain.caller, 'portal:read'), world.customerA.id, { status: 'open' }));

    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('lets only the MSP side change the status; a client edits its own open ticket', async () => {
    const byClient = updateTicket(as(world.plain.caller, 'portal:write'), mine, { status: 'resolved' }, null, actor);
    await expect(byClient).rejects.toMatchObject({ statusCode: 403, extensions: { rule: 'status-by-msp' } });

    const edited = await updateTicket(as(world.plain.caller, 'portal:write'), mine, { description: 'Now it smokes' }, 1, actor);
    expect(edited).toMatchObject({ description: 'Now it smokes', version: 2 });

    const worked = await updateTicket(as(world.technician, 'portal:write'), mine, { status: 'in_progress' }, 2, actor);
    expect(worked).toMatchObject({ status: 'in_progress', version: 3 });

    const late = updateTicket(as(world.plain.caller, 'portal:write'), mine, { description: 'Still smoking' }, null, actor);
    await expect(late).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'ticket-not-open' } });
  });

  it('keeps the conversation, each message marked with its side', async () => {
    await addTicketComment(as(world.plain.caller, 'portal:write'), mine, { text: 'Any news?' }, actor);
    await addTicketComment(as(world.technician, 'portal:write'), mine, { text: 'On my way' }, actor);

    const { items } = await listTicketComments(as(world.clientAdmin.caller, 'portal:read'), mine, {});

    expect(items.map((comment) => [comment.side, comment.text])).toEqual([
      ['client', 'Any news?'],
      ['msp', 'On my way'],
    ]);
  });

  it('refuses a client who may only read tickets of its own from commenting on another’s (404: not in its sight)', async () => {
    const approverComment = addTicketComment(as(world.approver.caller, 'portal:write'), staffs, { text: 'Me too' }, actor);
    await expect(approverComment).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('the partner-access restriction', () => {
  beforeAll(async () => {
    await restrict(world.customerAdmin, world.customerA.id);
  });

  it('stops the MSP side (403 partner-access-off) and leaves the customer’s own requesters working', async () => {
    const staff = listTickets(as(world.technician, 'portal:read'), world.customerA.id, {});
    await expect(staff).rejects.toMatchObject({ statusCode: 403, type: 'partner-access-off' });

    const client = await listTickets(as(world.clientAdmin.caller, 'portal:read'), world.customerA.id, {});
    expect(client.items.length).toBeGreaterThan(0);
    const summary = getPortalSummary(as(world.partnerAdmin, 'portal:read'), world.customerA.id);
    await expect(summary).rejects.toMatchObject({ statusCode: 403, type: 'partner-access-off' });
  });

  it('leaves the customer’s own members on the MSP side of its portal', async () => {
    const summary = await getPortalSummary(as(world.customerAdmin, 'portal:read'), world.customerA.id);
    expect(summary.viewer).toBe('msp');
  });

  it('applies to the item routes too', async () => {
    const { items } = await listTickets(as(world.clientAdmin.caller, 'portal:read'), world.customerA.id, {});
    const ticketId = items[0]?.id ?? '';
    await expect(getTicket(as(world.technician, 'portal:read'), ticketId)).rejects.toMatchObject({
      statusCode: 403,
      type: 'partner-access-off',
    });
  });
});
