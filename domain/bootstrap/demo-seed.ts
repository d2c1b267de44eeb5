import type { AccessRequest } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import { addMember } from '../access/members.ts';
import type { Permission } from '../access/permissions.ts';
import type { RoleName } from '../access/roles.ts';
import { findUserIdByEmail } from '../access/users.ts';
import { seedDemoSession } from '../delegation/demo-session.ts';
import { addExternalAdmin } from '../delegation/external-admins.ts';
import { grantServiceAccess } from '../delegation/service-assignments.ts';
import { createService } from '../delegation/services.ts';
import type { CreatableKind, CustomerType } from '../orgs/kinds.ts';
import { createChildOrg } from '../orgs/orgs.ts';
import { ConflictError } from '../shared/errors.ts';
import { rootOrgId } from '../shared/ids.ts';
import { seedDemoBilling } from './demo-billing.ts';
import { seedDemoApplication, seedDemoBusinessFor } from './demo-business.ts';
import { type DemoRequester, seedPortalDemo } from './portal-demo-seed.ts';

export interface DemoOrg {
  id: string;
  name: string;
  kind: CreatableKind;
  parentId: string;
  customerType?: CustomerType;
}

export interface DemoUser {
  email: string;
  role: RoleName;
  orgId: string;
  orgName: string;
  builtIn?: boolean;
}

const customer = (id: string, name: string, parentId: string, customerType?: CustomerType): DemoOrg => ({
  id,
  name,
  kind: 'customer',
  parentId,
  ...(customerType ? { customerType } : {}),
});

/** Fixed ids so the banner's calls stay valid across restarts with DATA_DIR. */
export const demoOrgs: DemoOrg[] = [
  { id: 'org_northwind', name: 'Northwind Distribution', kind: 'channel', parentId: rootOrgId },
  { id: 'org_contoso', name: 'Contoso MSP', kind: 'partner', parentId: 'org_northwind' },
  { id: 'org_fabrikam', name: 'Fabrikam IT', kind: 'partner', parentId: 'org_northwind' },
  { id: 'org_litware', name: 'Litware Managed Services', kind: 'partner', parentId: 'org_northwind' },
  { id: 'org_contosoeast', name: 'Contoso East (sub-reseller)', kind: 'partner', parentId: 'org_contoso' },
  customer('org_contosoit', 'Contoso Internal IT', 'org_contoso', 'internal'),
  customer('org_alpine', 'Alpine Ski House', 'org_contoso'),
  customer('org_bluey', 'Blue Yonder Airlines', 'org_contoso'),
  customer('org_coho', 'Coho Winery', 'org_contoso'),
  customer('org_lab', 'Contoso Lab (NFR)', 'org_contoso', 'nfr'),
  customer('org_adatum', 'Adventure Works', 'org_contosoeast'),
  customer('org_margie', "Margie's Travel", 'org_contosoeast'),
  customer('org_tailspin', 'Tailspin Toys', 'org_fabrikam'),
  customer('org_wingtip', 'Wingtip Toys', 'org_fabrikam'),
  customer('org_woodgrove', 'Woodgrove Bank', 'org_fabrikam'),
  customer('org_proseware', 'Proseware', 'org_litware'),
  customer('org_lucerne', 'Lucerne Publishing', 'org_litware'),
];

const nameOf = (orgId: string) => demoOrgs.find((org) => org.id === orgId)?.name ?? orgId;
const user = (email: string, role: RoleName, orgId: string, builtIn?: boolean): DemoUser => ({
  email,
  role,
  orgId,
  orgName: nameOf(orgId),
  ...(builtIn ? { builtIn } : {}),
});

export const demoUsers: DemoUser[] = [
  user('channel.admin@northwind.test', 'channel-admin', 'org_northwind', true),
  user('admin@contoso.test', 'partner-admin', 'org_contoso', true),
  user('tech@contoso.test', 'partner-technician', 'org_contoso'),
  user('billing@contoso.test', 'billing-admin', 'org_contoso'),
  user('admin@alpine.test', 'customer-admin', 'org_alpine', true),
  user('user@alpine.test', 'customer-user', 'org_alpine'),
  user('auditor@northwind.test', 'read-only', 'org_northwind'),
  user('admin@fabrikam.test', 'partner-admin', 'org_fabrikam', true),
  user('consultant@litware.test', 'partner-technician', 'org_litware'),
  user('admin@litware.test', 'partner-admin', 'org_litware', true),
  user('engineer@litware.test', 'partner-technician', 'org_litware'),
];

/** A user of another org administering one customer (delegated administration), for a year from seeding. */
export interface DemoExternalAdmin {
  email: string;
  role: RoleName;
  orgId: string;
  orgName: string;
}

export const demoExternalAdmins: DemoExternalAdmin[] = [
  { email: 'consultant@litware.test', role: 'customer-admin', orgId: 'org_coho', orgName: nameOf('org_coho') },
];

/** A service relationship: Contoso shares five customers with Litware, whose engineer works on two of them. */
export const demoService = {
  serviceId: 'svc_contosobackup',
  ownerOrgId: 'org_contoso',
  providerOrgId: 'org_litware',
  name: 'Managed backup',
  role: 'read-only' as RoleName,
  accountIds: ['org_alpine', 'org_bluey', 'org_coho', 'org_contosoit', 'org_lab'],
  assigned: { email: 'engineer@litware.test', accountIds: ['org_alpine', 'org_bluey'] },
};

const ignoreExisting = async (write: () => Promise<unknown>): Promise<void> => {
  try {
    await write();
  } catch (error) {
    // Seeding twice (a kept DATA_DIR) finds its orgs and members already there.
    if (!(error instanceof ConflictError)) throw error;
  }
};

/**
 * Seeds the demo hierarchy through the same use cases the API calls, as the
 * platform administrator, so the demo data obeys every rule real data does:
 * orgs (with their details), members, external administrators, then one
 * finished "Login As" session of Contoso's technician at Alpine.
 */
export const seedDemo = async (
  platformAdmin: Caller,
  actor: Actor,
): Promise<{ orgs: DemoOrg[]; users: DemoUser[]; externalAdmins: DemoExternalAdmin[]; requesters: DemoRequester[] }> => {
  const as = (permission: Permission): AccessRequest => ({ caller: platformAdmin, permission });
  for (const org of demoOrgs) {
    const input = { kind: org.kind, name: org.name, ...(org.customerType ? { customerType: org.customerType } : {}) };
    await ignoreExisting(() => createChildOrg(as('org:create'), org.parentId, input, actor, { orgId: org.id }));
    await seedDemoBusinessFor(org.id, platformAdmin, actor);
  }
  await seedDemoApplication();
  for (const member of demoUsers) {
    const input = { email: member.email, role: member.role, builtIn: member.builtIn ?? false };
    await ignoreExisting(() => addMember(as('member:write'), member.orgId, input, actor));
  }
  for (const grant of demoExternalAdmins) {
    await ignoreExisting(() => addExternalAdmin(as('external-admin:write'), grant.orgId, { email: grant.email, role: grant.role }, actor));
  }
  await seedDemoSession('tech@contoso.test', 'org_alpine', actor.requestId);
  const requesters = await seedPortalDemo(platformAdmin, actor);
  const { serviceId, ownerOrgId, assigned, ...service } = demoService;
  await ignoreExisting(() => createService(as('service:write'), ownerOrgId, service, actor, { serviceId }));
  const engineerId = await findUserIdByEmail(assigned.email);
  // Granting twice changes nothing, so a kept DATA_DIR seeds the same.
  if (engineerId) await grantServiceAccess(platformAdmin, serviceId, { userIds: [engineerId], accountIds: assigned.accountIds }, actor);
  await seedDemoBilling(platformAdmin, actor);
  return { orgs: demoOrgs, users: demoUsers, externalAdmins: demoExternalAdmins, requesters };
};
