import { type BootstrapResult, bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { type DemoExternalAdmin, type DemoOrg, type DemoUser, seedDemo as seedDemoData } from '#domain/bootstrap/demo-seed';
import { systemActor } from '#domain/db/written-by';

export interface SeedContext {
  adminEmail: string;
}

/** The root org and its first platform administrator; runs on every start and changes nothing the second time. */
export const bootstrap = (ctx: SeedContext): Promise<BootstrapResult> =>
  bootstrapPlatform({ adminEmail: ctx.adminEmail }, systemActor('local-bootstrap'));

/** The demo channel, partners, sub-reseller, customers, one user per role, and an external admin. */
export const seedDemo = async (
  ctx: SeedContext & { adminUserId: string },
): Promise<{ orgs: DemoOrg[]; users: DemoUser[]; externalAdmins: DemoExternalAdmin[] }> =>
  seedDemoData({ principalId: ctx.adminUserId, principalType: 'user', email: ctx.adminEmail }, systemActor('local-seed'));
