import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '#infra/local/runtime';
import { type Client, clientFor } from './http.ts';

/**
 * The demo hierarchy `npm start` seeds, as a client knows it from the
 * start-up banner: fixed org ids and one user per role. Written out here
 * rather than read from the seed, so a change to the seed shows up as a
 * failing expectation instead of silently moving it.
 *
 * ```
 * org_root (platform)
 * └─ org_northwind (channel)
 *    ├─ org_contoso (partner) ─ org_contosoeast (sub-reseller) ─ org_adatum, org_margie
 *    │                        ─ org_alpine, org_bluey, org_coho, org_contosoit, org_lab
 *    ├─ org_fabrikam (partner) ─ org_tailspin, org_wingtip, org_woodgrove
 *    └─ org_litware (partner) ─ org_proseware, org_lucerne
 * ```
 */
export const demoOrg = {
  root: 'org_root',
  northwind: 'org_northwind',
  contoso: 'org_contoso',
  contosoEast: 'org_contosoeast',
  contosoIt: 'org_contosoit',
  alpine: 'org_alpine',
  bluey: 'org_bluey',
  coho: 'org_coho',
  lab: 'org_lab',
  adatum: 'org_adatum',
  margie: 'org_margie',
  fabrikam: 'org_fabrikam',
  tailspin: 'org_tailspin',
  litware: 'org_litware',
  lucerne: 'org_lucerne',
} as const;

export const demoUser = {
  platformAdmin: 'admin@platform.test',
  /** partner-admin (built-in) at Contoso MSP. */
  partnerAdmin: 'admin@contoso.test',
  /** partner-technician at Contoso MSP. */
  technician: 'tech@contoso.test',
  /** customer-admin (built-in) at Alpine Ski House. */
  customerAdmin: 'admin@alpine.test',
  /** customer-user at Alpine Ski House. */
  customerUser: 'user@alpine.test',
  /** partner-admin at Fabrikam IT, Contoso's competitor under the same channel. */
  otherPartnerAdmin: 'admin@fabrikam.test',
  /** partner-technician at Litware, and external admin (customer-admin) of Coho Winery. */
  consultant: 'consultant@litware.test',
  /** partner-admin (built-in) at Litware, which provides Contoso's backup service. */
  providerAdmin: 'admin@litware.test',
  /** partner-technician at Litware, assigned to two of the service's five accounts (Alpine, Blue Yonder). */
  providerEngineer: 'engineer@litware.test',
} as const;

/**
 * The seeded service: Contoso shares five customers (Alpine, Blue Yonder, Coho,
 * Contoso Internal IT, Contoso Lab) with Litware as `read-only`; Litware's
 * engineer is assigned to Alpine and Blue Yonder.
 */
export const demoService = {
  id: 'svc_contosobackup',
  owner: 'org_contoso',
  provider: 'org_litware',
  accounts: ['org_alpine', 'org_bluey', 'org_coho', 'org_contosoit', 'org_lab'],
  assigned: ['org_alpine', 'org_bluey'],
} as const;

/** Bootstrap (root org and platform admin) then the demo seed, as `npm start` does. */
export const seedDemoHierarchy = async (): Promise<void> => {
  // Imported only now: by then the runtime has set the environment the domain reads.
  const { bootstrap, seedDemo } = await import('#infra/local/seed');
  const root = await bootstrap({ adminEmail: demoUser.platformAdmin });
  await seedDemo({ adminEmail: demoUser.platformAdmin, adminUserId: root.adminUserId });
};

/** The local runtime on a free port, over this test file's own table, with the demo hierarchy seeded. */
export const startDemoRuntime = (options: Omit<LocalRuntimeOptions, 'port' | 'seed'> = {}): Promise<LocalRuntime> =>
  startLocalRuntime({ port: 0, seed: seedDemoHierarchy, ...options });

/** A client signed in as `email` (any email gets a token; what it may do depends on its memberships). */
export const signIn = async (runtime: LocalRuntime, email: string): Promise<Client> =>
  clientFor(runtime.url, await runtime.mintToken(email));

/** A client with no credentials at all. */
export const anonymous = (runtime: LocalRuntime): Client => clientFor(runtime.url);
