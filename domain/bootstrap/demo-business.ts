import type { AccessRequest } from '../access/authorize.ts';
import type { Actor, Caller } from '../access/caller.ts';
import type { Permission } from '../access/permissions.ts';
import { submitApplication } from '../applications/applications.ts';
import { anonymousActor } from '../db/written-by.ts';
import { putConfig } from '../partners/configs.ts';
import { putProfile } from '../partners/profiles.ts';
import { ConflictError } from '../shared/errors.ts';

/**
 * The demo's partner business: Northwind's programme (open to applications,
 * with a `gold` status of its own), Contoso's details and configuration (seeded
 * before its customers, which start from a copy of it), and an application
 * waiting at Northwind. Addresses are Contoso's demo ones (Microsoft's
 * fictional company; the ranges are Azure's public space), never private ones,
 * which the configuration refuses.
 */
export const demoApplicationId = 'app_demo1';

export const contosoConfig = {
  inboundIps: ['20.31.14.0/24', '2603:1020:201::/48'],
  outboundIps: ['20.31.14.10', '20.31.14.11'],
  smarthost: { host: 'smtp.contoso.com', port: 587 },
};

const as = (caller: Caller, permission: Permission): AccessRequest => ({ caller, permission });

/** Run right after the org it is about is created (demo-seed.ts), so Contoso's customers inherit its configuration. */
export const seedDemoBusinessFor = async (orgId: string, platformAdmin: Caller, actor: Actor): Promise<void> => {
  if (orgId === 'org_northwind') {
    await putProfile(
      as(platformAdmin, 'profile:write'),
      orgId,
      {
        companyContact: { name: 'Northwind Partner Desk', email: 'channel.admin@northwind.test' },
        address: { lines: ['4567 Main St'], city: 'Buffalo', region: 'NY', postalCode: '14201', country: 'US' },
        programme: { partnerStatuses: ['gold'], acceptsApplications: true },
      },
      null,
      actor,
    );
  }
  if (orgId === 'org_contoso') {
    await putProfile(
      as(platformAdmin, 'profile:write'),
      orgId,
      {
        companyContact: { name: 'Contoso Admin', email: 'admin@contoso.test' },
        billingContact: { name: 'Contoso Billing', email: 'billing@contoso.test', phone: '+1 425 555 0100' },
        website: 'https://www.contoso.com',
        address: { lines: ['1 Microsoft Way'], city: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' },
        statuses: ['technical', 'sales', 'gold'],
      },
      null,
      actor,
    );
    await putConfig(as(platformAdmin, 'config:write'), orgId, contosoConfig, null, actor);
  }
};

/** A pending application to Northwind from a company not yet in the programme (once: a kept DATA_DIR finds it there). */
export const seedDemoApplication = async (): Promise<void> => {
  try {
    await submitApplication(
      {
        channelId: 'org_northwind',
        company: 'Wide World Importers',
        contactName: 'Wendy Wide',
        contactEmail: 'admin@wideworldimporters.test',
        country: 'GB',
        website: 'https://www.wideworldimporters.com',
        message: 'We run IT for 40 retailers and would like to resell through Northwind.',
      },
      anonymousActor({ requestId: 'local-seed', sourceIp: null }),
      { appId: demoApplicationId },
    );
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
};
