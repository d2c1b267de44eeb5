import type { AccessRequest } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import type { Permission } from '../access/permissions.ts';
import { createAsset, setAssetRequesters } from '../portal/assets.ts';
import { createDocument, shareDocument } from '../portal/documents.ts';
import { createProject } from '../portal/projects.ts';
import { createQuote } from '../portal/quotes.ts';
import { addRequester } from '../portal/requesters.ts';
import { createTicket, updateTicket } from '../portal/tickets.ts';
import { ConflictError } from '../shared/errors.ts';

/** A person of a customer in the client portal, as the banner lists them. */
export interface DemoRequester {
  email: string;
  portalRole: string;
  orgId: string;
  orgName: string;
}

/** Alpine's people in the portal; Jo also belongs to Coho, with another role there. */
export const demoRequesters: DemoRequester[] = [
  { email: 'it@alpine.test', portalRole: 'client-admin', orgId: 'org_alpine', orgName: 'Alpine Ski House' },
  { email: 'cfo@alpine.test', portalRole: 'approver', orgId: 'org_alpine', orgName: 'Alpine Ski House' },
  { email: 'jo@alpine.test', portalRole: 'requester', orgId: 'org_alpine', orgName: 'Alpine Ski House' },
  { email: 'jo@alpine.test', portalRole: 'approver', orgId: 'org_coho', orgName: 'Coho Winery' },
];

const alpine = 'org_alpine';

/**
 * The client portal's demo data, through the same use cases the API calls:
 * Alpine's requesters, a few tickets (one worked on), a project shown to the
 * client and one not, assets (one mapped to Jo), a network plan Contoso
 * shared with Alpine, and an open quote. Seeded once: a second start (a kept
 * DATA_DIR) finds the requesters and leaves everything as it is.
 */
export const seedPortalDemo = async (platformAdmin: Caller, actor: Actor): Promise<DemoRequester[]> => {
  const as = (permission: Permission, caller: Caller = platformAdmin): AccessRequest => ({ caller, permission });
  const userIds = new Map<string, string>();
  try {
    for (const person of demoRequesters) {
      const added = await addRequester(as('portal:write'), person.orgId, { email: person.email, portalRole: person.portalRole }, actor);
      userIds.set(person.email, added.userId);
    }
  } catch (error) {
    if (error instanceof ConflictError) return demoRequesters;
    throw error;
  }
  const user = (email: string): Caller => ({ principalId: userIds.get(email) ?? '', principalType: 'user', email });

  await createTicket(
    as('portal:write', user('jo@alpine.test')),
    alpine,
    { title: 'Laptop does not boot', description: 'Black screen since this morning', priority: 'high', category: 'hardware' },
    actor,
  );
  await createTicket(
    as('portal:write', user('it@alpine.test')),
    alpine,
    { title: 'New starter on Monday', description: 'Account and laptop for Sam, sales team', priority: 'normal', category: 'account' },
    actor,
  );
  const phoned = await createTicket(
    as('portal:write'),
    alpine,
    { title: 'VPN drops every hour', description: 'Reported by phone', priority: 'normal', category: 'network' },
    actor,
  );
  await updateTicket(as('portal:write'), phoned.id, { status: 'in_progress' }, null, actor);

  await createProject(
    as('portal:write'),
    alpine,
    { name: 'Office 365 migration', visibleToClient: true, status: 'active', progress: 40 },
    actor,
  );
  await createProject(as('portal:write'), alpine, { name: 'Firewall replacement', visibleToClient: false }, actor);

  const laptop = await createAsset(as('portal:write'), alpine, { name: "Jo's laptop", type: 'laptop', serialNumber: 'ASH-0042' }, actor);
  await setAssetRequesters(as('portal:write'), laptop.id, { userIds: [userIds.get('jo@alpine.test') ?? ''] }, null, actor);
  await createAsset(as('portal:write'), alpine, { name: 'File server', type: 'server' }, actor);

  const plan = await createDocument(
    as('portal:write'),
    'org_contoso',
    { title: 'Alpine network plan', category: 'network', content: 'VLAN 10: office\nVLAN 20: guests\nVLAN 30: lifts' },
    actor,
  );
  await shareDocument(as('portal:write'), plan.id, alpine, null, actor);

  await createQuote(
    as('portal:write'),
    alpine,
    {
      title: 'Firewall replacement',
      currency: 'EUR',
      lines: [
        { description: 'Firewall appliance', quantity: 2, unitAmount: 149_900 },
        { description: 'Installation (hours)', quantity: 6, unitAmount: 9_500 },
      ],
    },
    actor,
  );
  return demoRequesters;
};
