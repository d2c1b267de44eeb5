import type { AccessRequest } from '#domain/access/authorize';
import type { Actor, Caller } from '#domain/access/caller';
import { addMember, removeMember } from '#domain/access/members';
import { updateOrg } from '#domain/orgs/orgs';

/**
 * A burst of ordinary changes made through the domain's use cases, for the
 * audit consumer to work off: cycles of a customer rename (the org, and its
 * sibling-name item swapped), a member added (membership, user, email item)
 * and that member removed again (the delete and its tombstone, which the
 * consumer reads back). Each cycle works on another customer, spread over
 * the whole hierarchy, so the consumer sees many orgs' chains and paths, as
 * it would in production. Imported only once the runtime has set the environment.
 */
export interface BurstPlan {
  /** Use-case calls to make, rounded up to whole cycles of three. */
  changes: number;
  /** Use cases in flight; each cycle runs its three calls in order. */
  concurrency: number;
  /** Customers to spread the cycles over. */
  customerIds: readonly string[];
  adminUserId: string;
  /** Makes names and emails unique across runs on a kept table. */
  runId: string;
}

export interface BurstResult {
  changes: number;
  byUseCase: { renames: number; memberAdds: number; memberRemoves: number };
  customersTouched: number;
  seconds: number;
}

export const changesPerCycle = 3;

export const makeBurst = async (plan: BurstPlan): Promise<BurstResult> => {
  if (plan.customerIds.length === 0) throw new Error('The burst needs customers to change');
  const admin: Caller = { principalId: plan.adminUserId, principalType: 'user' };
  const as = (permission: AccessRequest['permission']): AccessRequest => ({ caller: admin, permission });
  const cycles = Math.ceil(plan.changes / changesPerCycle);
  // Spread the cycles evenly over the customers (every partner, both channels), at most one cycle per customer while they last.
  const stride = Math.max(1, Math.floor(plan.customerIds.length / cycles));
  const touched = new Set<string>();
  const started = performance.now();
  let next = 0;
  let failure: unknown;

  const cycle = async (index: number) => {
    const customerId = plan.customerIds[(index * stride) % plan.customerIds.length] as string;
    touched.add(customerId);
    const actor = (step: string): Actor => ({
      userId: plan.adminUserId,
      apiKeyId: null,
      impersonatorId: null,
      requestId: `bench-burst-${plan.runId}-${index}-${step}`,
      sourceIp: '127.0.0.1',
    });
    await updateOrg(as('org:update'), customerId, { name: `Bench burst ${plan.runId} ${index}` }, null, actor('rename'));
    const added = await addMember(
      as('member:write'),
      customerId,
      { email: `burst-${plan.runId}-${index}@bench.test`, role: 'customer-user' },
      actor('add'),
    );
    await removeMember(as('member:write'), customerId, added.userId, { ifMatch: null }, actor('remove'));
  };

  const worker = async () => {
    while (failure === undefined && next < cycles) {
      const index = next++;
      try {
        await cycle(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, cycles) }, worker));
  if (failure !== undefined) throw failure;
  return {
    changes: cycles * changesPerCycle,
    byUseCase: { renames: cycles, memberAdds: cycles, memberRemoves: cycles },
    customersTouched: touched.size,
    seconds: (performance.now() - started) / 1000,
  };
};
