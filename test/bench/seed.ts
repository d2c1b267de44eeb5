import type { AccessRequest } from '#domain/access/authorize';
import type { Caller } from '#domain/access/caller';
import { addMember } from '#domain/access/members';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { createChildOrg } from '#domain/orgs/orgs';
import { rootOrgId } from '#domain/shared/ids';

/**
 * Seeds the bench hierarchy through the domain's use cases, so every
 * invariant (kinds, depth, sibling names, child counts) holds as it would in
 * production. Imported only once the runtime has set the environment.
 */
export interface SeedPlan {
  customers: number;
  partners: number;
  channels: number;
  /** Use cases in flight; each worker takes whole partners, so no two transactions touch the same parent item. */
  concurrency: number;
}

export interface SeededHierarchy {
  adminUserId: string;
  channelIds: string[];
  partnerIds: string[];
  /** The partner whose admin drives the load, and the first of its customers. */
  benchPartnerId: string;
  benchCustomerId: string;
  /** Every customer seeded, in creation order per partner. */
  customerIds: string[];
  partnerAdmin: { email: string; userId: string };
  /** Each partner's customers, for the invoices seeded under them. */
  customersByPartner: Map<string, { id: string; name: string }[]>;
  seconds: number;
}

const actor = systemActor('bench-seed');
const partnerAdminEmail = 'partner-admin@bench.test';

const customersOf = (plan: SeedPlan, partnerIndex: number): number =>
  Math.floor(plan.customers / plan.partners) + (partnerIndex < plan.customers % plan.partners ? 1 : 0);

const pad = (n: number) => String(n).padStart(5, '0');

export const seedHierarchy = async (plan: SeedPlan, log: (line: string) => void): Promise<SeededHierarchy> => {
  const started = performance.now();
  const { adminUserId } = await bootstrapPlatform({ adminEmail: 'admin@bench.test' }, actor);
  const admin: Caller = { principalId: adminUserId, principalType: 'user' };
  const creating: AccessRequest = { caller: admin, permission: 'org:create' };

  // Channels and partners go one at a time: creating a child updates its parent's child count in the same transaction.
  const channelIds: string[] = [];
  for (let c = 0; c < plan.channels; c++) {
    channelIds.push((await createChildOrg(creating, rootOrgId, { kind: 'channel', name: `Bench channel ${pad(c)}` }, actor)).id);
  }
  const partnerIds: string[] = [];
  for (let p = 0; p < plan.partners; p++) {
    const channelId = channelIds[p % plan.channels] as string;
    partnerIds.push((await createChildOrg(creating, channelId, { kind: 'partner', name: `Bench partner ${pad(p)}` }, actor)).id);
  }
  log(`  ${plan.channels} channels and ${plan.partners} partners in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const customersStarted = performance.now();
  const progressEvery = Math.max(1, Math.ceil(plan.customers / 10));
  let created = 0;
  let benchCustomerId: string | undefined;
  const customerIds: string[] = [];
  const customersByPartner = new Map<string, { id: string; name: string }[]>();
  let failure: unknown;
  let nextPartner = 0;
  const worker = async () => {
    while (failure === undefined && nextPartner < plan.partners) {
      const p = nextPartner++;
      const partnerId = partnerIds[p] as string;
      for (let i = 0; i < customersOf(plan, p) && failure === undefined; i++) {
        try {
          const customer = await createChildOrg(
            creating,
            partnerId,
            { kind: 'customer', name: `Bench customer ${pad(p)}-${pad(i)}` },
            actor,
          );
          if (p === 0 && i === 0) benchCustomerId = customer.id;
          customerIds.push(customer.id);
          customersByPartner.set(partnerId, [...(customersByPartner.get(partnerId) ?? []), { id: customer.id, name: customer.name }]);
        } catch (error) {
          failure ??= error;
          return;
        }
        created += 1;
        if (created % progressEvery === 0 || created === plan.customers) {
          const seconds = (performance.now() - customersStarted) / 1000;
          log(`  ${created}/${plan.customers} customers, ${seconds.toFixed(1)} s, ${(created / seconds).toFixed(0)}/s`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.partners) }, worker));
  if (failure !== undefined) throw failure;

  const benchPartnerId = partnerIds[0] as string;
  if (!benchCustomerId) throw new Error('The bench partner got no customer; seed at least one customer per partner');
  const member = await addMember(
    { caller: admin, permission: 'member:write' },
    benchPartnerId,
    { email: partnerAdminEmail, role: 'partner-admin', builtIn: true },
    actor,
  );
  return {
    adminUserId,
    channelIds,
    partnerIds,
    benchPartnerId,
    benchCustomerId,
    customerIds,
    partnerAdmin: { email: partnerAdminEmail, userId: member.userId },
    customersByPartner,
    seconds: (performance.now() - started) / 1000,
  };
};
