import type { AccessRequest } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import { addMember } from '../access/members.ts';
import type { Permission } from '../access/permissions.ts';
import type { RoleName } from '../access/roles.ts';
import type { CreatableKind, CustomerType } from '../orgs/kinds.ts';
import { createChildOrg } from '../orgs/orgs.ts';
import { ConflictError } from '../shared/errors.ts';
import { rootOrgId } from '../shared/ids.ts';
import { seedDemoBilling } from './demo-billing.ts';

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
];

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
 * platform administrator, so the demo data obeys every rule real data does.
 */
export const seedDemo = async (platformAdmin: Caller, actor: Actor): Promise<{ orgs: DemoOrg[]; users: DemoUser[] }> => {
  const as = (permission: Permission): AccessRequest => ({ caller: platformAdmin, permission });
  for (const org of demoOrgs) {
    const input = { kind: org.kind, name: org.name, ...(org.customerType ? { customerType: org.customerType } : {}) };
    await ignoreExisting(() => createChildOrg(as('org:create'), org.parentId, input, actor, { orgId: org.id }));
  }
  for (const member of demoUsers) {
    const input = { email: member.email, role: member.role, builtIn: member.builtIn ?? false };
    await ignoreExisting(() => addMember(as('member:write'), member.orgId, input, actor));
  }
  await seedDemoBilling(platformAdmin, actor);
  return { orgs: demoOrgs, users: demoUsers };
};
