import { type BootstrapResult, bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { type DemoExternalAdmin, type DemoOrg, type DemoUser, seedDemo as seedDemoData } from '#domain/bootstrap/demo-seed';
import type { DemoRequester } from '#domain/bootstrap/portal-demo-seed';
import { systemActor } from '#domain/db/written-by';

export interface SeedContext {
  adminEmail: string;
}

/** The root org and its first platform administrator; runs on every start and changes nothing the second time. */
export const bootstrap = (ctx: SeedContext): Promise<BootstrapResult> =>
  bootstrapPlatform({ adminEmail: ctx.adminEmail }, systemActor('local-bootstrap'));

/** The demo channel, partners, sub-reseller, customers, one user per role, an external admin, and the client portal's people and content. */
export const seedDemo = async (
  ctx: SeedContext & { adminUserId: string },
): Promise<{ orgs: DemoOrg[]; users: DemoUser[]; externalAdmins: DemoExternalAdmin[]; requesters: DemoRequester[] }> =>
  seedDemoData({ principalId: ctx.adminUserId, principalType: 'user', email: ctx.adminEmail }, systemActor('local-seed'));
