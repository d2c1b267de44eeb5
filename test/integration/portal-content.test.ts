import { beforeAll, describe, expect, it } from 'vitest';
import { loadCallerGrants } from '#domain/access/grants';
import { countCalls } from '#domain/db/call-counter';
import { moveOrg } from '#domain/orgs/move';
import { deleteOrg } from '#domain/orgs/orgs';
import { createAsset, listAssets, setAssetRequesters } from '#domain/portal/assets';
import { createDocument, getDocument, listDocuments, shareDocument, withdrawDocumentShare } from '#domain/portal/documents';
import { createPortalRole, listPortalRoles } from '#domain/portal/portal-roles';
import { createProject, listProjects, updateProject } from '#domain/portal/projects';
import { createQuote, decideQuote } from '#domain/portal/quotes';
import { addRequester, removeRequester, updateRequester } from '#domain/portal/requesters';
import { getPortalSummary } from '#domain/portal/summary';
import { createTicket, updateTicket } from '#domain/portal/tickets';
import { actor, as, createOrg } from './support/fixture.ts';
import { portalWorld, requester } from './support/portal-fixture.ts';

let world: Awaited<ReturnType<typeof portalWorld>>;
beforeAll(async () => {
  world = await portalWorld();
});

const read = (caller: Parameters<typeof as>[0]) => as(caller, 'portal:read');
const write = (caller: Parameters<typeof as>[0]) => as(caller, 'portal:write');

describe('portal roles', () => {
  it('lists the built-in roles beside a partner’s own, which are named permission sets', async () => {
    await createPortalRole(
      write(world.partnerAdmin),
      world.partnerA.id,
      { name: 'Viewer', permissions: ['view-projects', 'view-documents'] },
      actor,
    );

    const roles = await listPortalRoles(read(world.technician), world.partnerA.id, {});

    expect(roles.builtIn.map((role) => role.name)).toEqual(['client-admin', 'approver', 'requester']);
    expect(roles.items).toEqual([{ name: 'Viewer', builtIn: false, description: null, permissions: ['view-projects', 'view-documents'] }]);
  });

  it('refuses a taken name, a built-in name and a role defined anywhere but at a partner', async () => {
    const again = createPortalRole(
      write(world.partnerAdmin),
      world.partnerA.id,
      { name: ' viewer ', permissions: ['view-projects'] },
      actor,
    );
    await expect(again).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'role-exists' } });
    const builtIn = createPortalRole(
      write(world.partnerAdmin),
      world.partnerA.id,
      { name: 'Approver', permissions: ['view-projects'] },
      actor,
    );
    await expect(builtIn).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'built-in-role' } });
    const atCustomer = createPortalRole(write(world.admin), world.customerA.id, { name: 'X', permissions: ['view-projects'] }, actor);
    await expect(atCustomer).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'partners-only' } });
  });

  it('gives a requester a custom role of its customer’s partner, with the permissions copied; other partners’ names are unknown', async () => {
    const viewer = await requester(world.admin, world.customerA.id, 'viewer');
    const { requesters } = await loadCallerGrants(viewer.caller);
    expect(requesters).toMatchObject([{ portalRole: 'Viewer', permissions: ['view-projects', 'view-documents'] }]);

    const elsewhere = addRequester(write(world.admin), world.customerB.id, { email: 'x@client.example', portalRole: 'Viewer' }, actor);
    await expect(elsewhere).rejects.toMatchObject({ statusCode: 400, errors: [{ path: 'body.portalRole' }] });
  });
});

describe('projects', () => {
  it('are shown to a client only when flagged visible and its role allows project view', async () => {
    const hidden = await createProject(write(world.technician), world.customerA.id, { name: 'Server swap', visibleToClient: false }, actor);
    const shown = await createProject(
      write(world.technician),
      world.customerA.id,
      { name: 'Office move', visibleToClient: true, status: 'active' },
      actor,
    );

    const staff = await listProjects(read(world.technician), world.customerA.id, {});
    const approver = await listProjects(read(world.approver.caller), world.customerA.id, {});

    expect(staff.items.map((project) => project.id)).toEqual([shown.id, hidden.id]);
    expect(approver.items.map((project) => project.id)).toEqual([shown.id]);
    await expect(listProjects(read(world.plain.caller), world.customerA.id, {})).rejects.toMatchObject({ statusCode: 403 });
  });

  it('are changed by the MSP side only: 403 to a client who sees the project, 404 to one who does not', async () => {
    const shown = await createProject(write(world.technician), world.customerA.id, { name: 'Wi-Fi', visibleToClient: true }, actor);
    const hidden = await createProject(write(world.technician), world.customerA.id, { name: 'Secret', visibleToClient: false }, actor);

    await expect(updateProject(write(world.approver.caller), shown.id, { progress: 100 }, null, actor)).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(updateProject(write(world.approver.caller), hidden.id, { progress: 100 }, null, actor)).rejects.toMatchObject({
      statusCode: 404,
    });
    const done = await updateProject(write(world.technician), shown.id, { progress: 40, status: 'active' }, 1, actor);
    expect(done).toMatchObject({ progress: 40, status: 'active', version: 2 });
  });
});

describe('assets', () => {
  it('show a plain requester those mapped to it, a client admin all; removing the requester ends its mapping for good', async () => {
    const laptop = await createAsset(
      write(world.technician),
      world.customerA.id,
      { name: 'Laptop 7', type: 'laptop', serialNumber: 'SN-7' },
      actor,
    );
    const server = await createAsset(write(world.technician), world.customerA.id, { name: 'File server', type: 'server' }, actor);
    const person = await requester(world.admin, world.customerA.id, 'requester');

    const mapped = await setAssetRequesters(write(world.technician), laptop.id, { userIds: [person.userId] }, 1, actor);
    expect(mapped.requesterIds).toEqual([person.userId]);
    expect((await listAssets(read(person.caller), world.customerA.id, {})).items.map((asset) => asset.id)).toEqual([laptop.id]);
    expect((await listAssets(read(world.clientAdmin.caller), world.customerA.id, {})).items.map((asset) => asset.id)).toEqual([
      server.id,
      laptop.id,
    ]);

    await removeRequester(write(world.technician), world.customerA.id, person.userId, null, actor);
    const back = await requester(world.admin, world.customerA.id, 'requester', person.email);
    expect((await listAssets(read(back.caller), world.customerA.id, {})).items).toEqual([]);
  });

  it('map requesters of the asset’s customer only', async () => {
    const phone = await createAsset(write(world.technician), world.customerA.id, { name: 'Phone', type: 'phone' }, actor);
    const stranger = await requester(world.admin, world.customerB.id, 'requester');

    const refused = setAssetRequesters(write(world.technician), phone.id, { userIds: [stranger.userId] }, null, actor);
    await expect(refused).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'not-a-requester' } });
  });
});

describe('IT documents', () => {
  let docId: string;
  beforeAll(async () => {
    docId = (
      await createDocument(
        write(world.partnerAdmin),
        world.partnerA.id,
        { title: 'Network plan', category: 'network', content: 'VLAN 10: office' },
        actor,
      )
    ).id;
  });

  it('are read in two rounds: the document and the grants, then its orgs in one BatchGet', async () => {
    const { calls } = await countCalls(() => getDocument(read(world.partnerAdmin), docId));

    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 1, BatchGetItemCommand: 1 });
  });

  it('are readable by the customer only once shared with it, and no longer once withdrawn', async () => {
    await expect(getDocument(read(world.clientAdmin.caller), docId)).rejects.toMatchObject({ statusCode: 404 });

    const shared = await shareDocument(write(world.partnerAdmin), docId, world.customerA.id, 1, actor);
    expect(shared).toMatchObject({ sharedWith: world.customerA.id, version: 2 });
    expect(await getDocument(read(world.clientAdmin.caller), docId)).toMatchObject({ title: 'Network plan', content: 'VLAN 10: office' });
    expect((await listDocuments(read(world.clientAdmin.caller), world.customerA.id, {})).items.map((doc) => doc.id)).toEqual([docId]);
    await expect(getDocument(read(world.plain.caller), docId)).rejects.toMatchObject({ statusCode: 403 });

    await withdrawDocumentShare(write(world.partnerAdmin), docId, world.customerA.id, 2, actor);
    await expect(getDocument(read(world.clientAdmin.caller), docId)).rejects.toMatchObject({ statusCode: 404 });
    expect((await listDocuments(read(world.clientAdmin.caller), world.customerA.id, {})).items).toEqual([]);
  });

  it('move to another client only after the old share is withdrawn: 409 naming the step', async () => {
    const other = await createOrg(world.admin, world.partnerA.id, 'customer');
    await shareDocument(write(world.partnerAdmin), docId, world.customerA.id, null, actor);

    const moved = shareDocument(write(world.partnerAdmin), docId, other.id, null, actor);

    await expect(moved).rejects.toMatchObject({
      statusCode: 409,
      extensions: { rule: 'shared-elsewhere', sharedWith: world.customerA.id },
      message: expect.stringContaining(`DELETE /v1/documents/${docId}/shares/${world.customerA.id}`),
    });
    await withdrawDocumentShare(write(world.partnerAdmin), docId, world.customerA.id, null, actor);
    expect(await shareDocument(write(world.partnerAdmin), docId, other.id, null, actor)).toMatchObject({ sharedWith: other.id });
  });

  it('are shared with customers of the partner that wrote them only', async () => {
    const doc = await createDocument(write(world.admin), world.partnerA.id, { title: 'T', category: 'other', content: 'x' }, actor);
    const refused = shareDocument(write(world.admin), doc.id, world.customerB.id, null, actor);
    await expect(refused).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'not-partners-customer' } });
  });

  it('stop counting for a customer moved to another partner, without a rewrite', async () => {
    const mover = await createOrg(world.admin, world.partnerA.id, 'customer');
    const doc = await createDocument(
      write(world.admin),
      world.partnerA.id,
      { title: 'Backup', category: 'backup', content: 'nightly' },
      actor,
    );
    await shareDocument(write(world.admin), doc.id, mover.id, null, actor);
    const reader = await requester(world.admin, mover.id, 'client-admin');
    expect((await getPortalSummary(read(reader.caller), mover.id)).documents).toBe(1);

    await moveOrg(as(world.admin, 'org:move'), mover.id, world.partnerB.id, null, actor);

    await expect(getDocument(read(reader.caller), doc.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await listDocuments(read(reader.caller), mover.id, {})).items).toEqual([]);
    expect((await getPortalSummary(read(reader.caller), mover.id)).documents).toBe(0);
    expect(await getDocument(read(world.admin), doc.id)).toMatchObject({ sharedWith: null });
  });
});

describe('quotes', () => {
  const lines = [{ description: 'Firewall', quantity: 2, unitAmount: 49_900 }];

  it('are accepted once, by an approver only', async () => {
    const quote = await createQuote(write(world.technician), world.customerA.id, { title: 'Firewalls', currency: 'EUR', lines }, actor);
    expect(quote).toMatchObject({ total: 99_800, status: 'open' });

    await expect(decideQuote(read(world.technician), quote.id, 'accepted', actor)).rejects.toMatchObject({ statusCode: 403 });
    await expect(decideQuote(read(world.plain.caller), quote.id, 'accepted', actor)).rejects.toMatchObject({ statusCode: 404 });
    const accepted = await decideQuote(read(world.approver.caller), quote.id, 'accepted', actor);
    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: world.approver.userId, version: 2 });
    const again = decideQuote(read(world.clientAdmin.caller), quote.id, 'declined', actor);
    await expect(again).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'quote-decided' } });
  });

  it('past their validity can only be declined', async () => {
    const quote = await createQuote(
      write(world.technician),
      world.customerA.id,
      { title: 'Old', currency: 'EUR', lines, validUntil: '2020-01-01T00:00:00.000Z' },
      actor,
    );
    await expect(decideQuote(read(world.approver.caller), quote.id, 'accepted', actor)).rejects.toMatchObject({ statusCode: 409 });
    expect(await decideQuote(read(world.approver.caller), quote.id, 'declined', actor)).toMatchObject({ status: 'declined' });
  });
});

describe('the summary', () => {
  it('is one round trip, kept in step by the writes, and follows the viewer', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const boss = await requester(world.admin, customer.id, 'client-admin');
    const plain = await requester(world.admin, customer.id, 'requester');
    const staff = write(world.technician);
    const ticket = await createTicket(staff, customer.id, { title: 'A', description: 'B', priority: 'low', category: 'other' }, actor);
    await createTicket(
      as(plain.caller, 'portal:write'),
      customer.id,
      { title: 'C', description: 'D', priority: 'low', category: 'other' },
      actor,
    );
    await updateTicket(staff, ticket.id, { status: 'resolved' }, null, actor);
    await createProject(staff, customer.id, { name: 'Hidden', visibleToClient: false, status: 'active' }, actor);
    await createProject(staff, customer.id, { name: 'Shown', visibleToClient: true, status: 'active' }, actor);
    await createAsset(staff, customer.id, { name: 'NAS', type: 'server' }, actor);
    await createQuote(
      staff,
      customer.id,
      { title: 'Q', currency: 'EUR', lines: [{ description: 'x', quantity: 1, unitAmount: 1 }] },
      actor,
    );

    const { result: msp, calls } = await countCalls(() => getPortalSummary(read(world.technician), customer.id));
    const client = await getPortalSummary(read(boss.caller), customer.id);
    const own = await getPortalSummary(read(plain.caller), customer.id);

    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
    expect(msp).toEqual({
      customerId: customer.id,
      viewer: 'msp',
      tickets: { open: 1, inProgress: 0, waitingOnClient: 0, resolved: 1, closed: 0 },
      activeProjects: 2,
      assets: 1,
      documents: 0,
      openQuotes: 1,
      unpaidInvoices: 0,
    });
    expect(client).toMatchObject({ viewer: 'client', tickets: { open: 1, resolved: 1 }, activeProjects: 1, assets: 1, openQuotes: 1 });
    expect(own).toEqual({
      customerId: customer.id,
      viewer: 'client',
      tickets: null,
      activeProjects: null,
      assets: null,
      documents: null,
      openQuotes: null,
      unpaidInvoices: null,
    });
  });
});

describe('requesters', () => {
  it('change role with If-Match and are refused a stale version', async () => {
    const person = await requester(world.admin, world.customerA.id, 'requester');
    const changed = await updateRequester(write(world.technician), world.customerA.id, person.userId, { portalRole: 'approver' }, 1, actor);
    expect(changed).toMatchObject({ portalRole: 'approver', version: 2, permissions: expect.arrayContaining(['approve-quotes']) });

    const stale = updateRequester(write(world.technician), world.customerA.id, person.userId, { portalRole: 'requester' }, 1, actor);
    await expect(stale).rejects.toMatchObject({ statusCode: 412 });
  });

  it('are refused twice at one customer, and go with their customer when it is deleted', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const person = await requester(world.admin, customer.id, 'requester');
    const twice = addRequester(write(world.admin), customer.id, { email: person.email, portalRole: 'approver' }, actor);
    await expect(twice).rejects.toMatchObject({ statusCode: 409, extensions: { rule: 'already-requester' } });

    await deleteOrg(as(world.admin, 'org:delete'), customer.id, null, actor);

    expect((await loadCallerGrants(person.caller)).requesters).toEqual([]);
  });
});
