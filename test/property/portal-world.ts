import fc from 'fast-check';
import type { AccessRequest } from '#domain/access/authorize';
import { systemActor } from '#domain/db/written-by';
import { createAsset } from '#domain/portal/assets';
import { createDocument, shareDocument } from '#domain/portal/documents';
import { createPortalRole } from '#domain/portal/portal-roles';
import { createProject } from '#domain/portal/projects';
import { createQuote } from '#domain/portal/quotes';
import { addRequester } from '#domain/portal/requesters';
import { createTicket } from '#domain/portal/tickets';
import type { Model } from './model/model.ts';
import { builtInPortalRoles, clientPermissions, ordered } from './model/portal.ts';
import { nameKey } from './model/rules.ts';

/**
 * The client-portal half of a generated world: custom portal roles at some
 * partners, requesters (the world's people, some at several customers, some
 * also members somewhere) with built-in or custom roles, and a little
 * content (a ticket, a project, an asset, a quote at a few customers; a
 * document shared with one), built through the domain and mirrored in the
 * model. Built before any customer switches partner access off.
 */
export interface PortalPlan {
  roles: { partner: number; name: number; permissions: boolean[] }[];
  requesters: { person: number; customer: number; role: number }[];
  content: { customer: number; visible: boolean }[];
}

export const portalRoleNames = ['Viewer', 'Ops 1', 'Ops 10', 'Finance'];

export const portalPlanArb: fc.Arbitrary<PortalPlan> = fc.record({
  roles: fc.array(
    fc.record(
      {
        partner: fc.nat(),
        name: fc.nat(),
        permissions: fc.array(fc.boolean(), { minLength: clientPermissions.length, maxLength: clientPermissions.length }),
      },
      { noNullPrototype: true },
    ),
    { maxLength: 3 },
  ),
  requesters: fc.array(fc.record({ person: fc.nat(), customer: fc.nat(), role: fc.nat() }, { noNullPrototype: true }), {
    minLength: 2,
    maxLength: 9,
  }),
  content: fc.array(fc.record({ customer: fc.nat(), visible: fc.boolean() }, { noNullPrototype: true }), { maxLength: 3 }),
});

const actor = systemActor('property-portal-world');

export const buildPortal = async (
  model: Model,
  plan: PortalPlan,
  adminUserId: string,
  emails: readonly string[],
  inRounds: <T>(items: readonly T[], keysOf: (item: T) => string[]) => T[][],
): Promise<void> => {
  const as = (permission: AccessRequest['permission'], userId = adminUserId): AccessRequest => ({
    caller: { principalId: userId, principalType: 'user' },
    permission,
  });
  const { portal } = model;
  const partners = [...model.orgs.values()].filter((org) => org.kind === 'partner');
  const customers = [...model.orgs.values()].filter((org) => org.kind === 'customer');

  for (const role of plan.roles) {
    const partner = partners[role.partner % Math.max(1, partners.length)];
    const name = portalRoleNames[role.name % portalRoleNames.length] as string;
    const permissions = ordered(clientPermissions.filter((_, i) => role.permissions[i]));
    if (!partner || permissions.length === 0 || portal.roles.has(`${partner.id} ${nameKey(name)}`)) continue;
    await createPortalRole(as('portal:write'), partner.id, { name, permissions }, actor);
    portal.roles.set(`${partner.id} ${nameKey(name)}`, { partnerId: partner.id, name, permissions });
  }

  if (customers.length === 0) return;
  const planned = plan.requesters.flatMap((entry) => {
    const email = emails[entry.person % emails.length] as string;
    const customer = customers[entry.customer % customers.length];
    if (!customer) return [];
    const roleNames = [...Object.keys(builtInPortalRoles), ...portal.rolesOf(customer.parentId ?? '').map((role) => role.name)];
    return [{ email, customerId: customer.id, portalRole: roleNames[entry.role % roleNames.length] as string }];
  });
  const unique = planned.filter(
    (entry, i) => planned.findIndex((other) => other.email === entry.email && other.customerId === entry.customerId) === i,
  );
  for (const round of inRounds(unique, (entry) => [entry.email, entry.customerId])) {
    await Promise.all(
      round.map(async (entry) => {
        const added = await addRequester(as('portal:write'), entry.customerId, { email: entry.email, portalRole: entry.portalRole }, actor);
        const role = portal.resolveRole(entry.customerId, entry.portalRole);
        if (!role) throw new Error(`world: no portal role ${entry.portalRole}`);
        model.userIdByEmail.set(entry.email, added.userId);
        portal.requesters.set(`${added.userId} ${entry.customerId}`, {
          userId: added.userId,
          email: entry.email,
          customerId: entry.customerId,
          portalRole: role.name,
          permissions: role.permissions,
          version: 1,
          link: portal.nextLink(),
        });
      }),
    );
  }

  const seeded = [...new Set(plan.content.map((entry) => customers[entry.customer % customers.length]))].filter((c) => c !== undefined);
  await Promise.all(
    seeded.map(async (customer, i) => {
      const visible = plan.content[i]?.visible ?? true;
      const opener = portal.requestersOf(customer.id).find((r) => r.permissions.includes('create-tickets'));
      const ticketInput = { title: 'Seeded', description: 'A ticket of the world', priority: 'normal', category: 'other' } as const;
      const ticket = await createTicket(as('portal:write', opener?.userId), customer.id, ticketInput, actor);
      // A requester who is also on the MSP side there (a member of the customer, say) opens it as the MSP side.
      const principal = opener ? { kind: 'user' as const, principalId: opener.userId, email: opener.email } : null;
      const side = principal ? portal.onCustomer(principal, customer.id, 'portal:write', ['create-tickets']).side : 'msp';
      portal.tickets.set(ticket.id, {
        id: ticket.id,
        customerId: customer.id,
        title: ticketInput.title,
        description: ticketInput.description,
        priority: 'normal',
        category: 'other',
        status: 'open',
        openedBy: opener?.userId ?? adminUserId,
        side: side ?? 'msp',
        version: 1,
      });
      const project = await createProject(
        as('portal:write'),
        customer.id,
        { name: 'Seeded', visibleToClient: visible, status: 'active' },
        actor,
      );
      portal.projects.set(project.id, {
        id: project.id,
        customerId: customer.id,
        name: 'Seeded',
        description: null,
        status: 'active',
        progress: 0,
        visibleToClient: visible,
        version: 1,
      });
      const asset = await createAsset(as('portal:write'), customer.id, { name: 'Seeded', type: 'laptop' }, actor);
      portal.assets.set(asset.id, {
        id: asset.id,
        customerId: customer.id,
        name: 'Seeded',
        type: 'laptop',
        serialNumber: null,
        links: [],
        version: 1,
      });
      const lines = [{ description: 'Seeded', quantity: 2, unitAmount: 150 }];
      const quote = await createQuote(as('portal:write'), customer.id, { title: 'Seeded', currency: 'EUR', lines }, actor);
      portal.quotes.set(quote.id, {
        id: quote.id,
        customerId: customer.id,
        title: 'Seeded',
        currency: 'EUR',
        lines,
        total: 300,
        validUntil: null,
        status: 'open',
        decidedBy: null,
        version: 1,
      });
      const partnerId = customer.parentId;
      if (!partnerId || i > 0) return;
      const input = { title: 'Seeded', category: 'network', content: 'A document of the world' } as const;
      const doc = await createDocument(as('portal:write'), partnerId, input, actor);
      await shareDocument(as('portal:write'), doc.id, customer.id, null, actor);
      portal.documents.set(doc.id, { id: doc.id, partnerId, ...input, sharedWith: customer.id, version: 2 });
      portal.shares.set(`${customer.id} ${doc.id}`, { customerId: customer.id, docId: doc.id, partnerId });
    }),
  );
};
