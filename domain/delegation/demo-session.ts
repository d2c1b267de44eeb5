import type { Actor } from '../access/caller.ts';
import { findUserIdByEmail } from '../access/users.ts';
import { endImpersonation } from './end-impersonation.ts';
import { ImpersonationListingEntity } from './impersonation-listing.entity.ts';
import { startImpersonation } from './start-impersonation.ts';

/**
 * Demo data for "Login As": one finished session of a partner technician in
 * a customer, so the customer's list of sessions and its audit show one from
 * the first start. Seeded once: a kept DATA_DIR already lists it.
 */
export const seedDemoSession = async (technicianEmail: string, customerId: string, requestId: string): Promise<void> => {
  const [technicianId, listed] = await Promise.all([
    findUserIdByEmail(technicianEmail),
    ImpersonationListingEntity.query.byListedAt({ listedAt: customerId }).go({ limit: 1 }),
  ]);
  if (!technicianId || listed.data.length > 0) return;
  const caller = { principalId: technicianId, principalType: 'user' as const, email: technicianEmail };
  // Seeded as the technician's own doing (the request id says it was the seed), as the audit would show a real one.
  const actor: Actor = { userId: technicianId, apiKeyId: null, impersonatorId: null, requestId, sourceIp: null };
  const started = await startImpersonation(
    { caller, permission: 'impersonate' },
    customerId,
    { reason: 'Demo: helped the customer reset its MFA settings', minutes: 15, ticket: 'DEMO-1' },
    actor,
  );
  await endImpersonation(caller, started.id, actor);
};
