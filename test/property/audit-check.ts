import { mismatch } from './spec.ts';
import type { World } from './world.ts';

/**
 * The audit log after a world: the real consumer recorded every change the
 * world's building and its thousands of random calls made (none given up on:
 * every write carried its actor, every deletion its tombstone), and every
 * org's hash chain verifies, as the platform administrator asks for it.
 */
export const expectAuditComplete = async (world: World, auditorEmail: string, gaveUp: readonly string[]): Promise<void> => {
  if (gaveUp.length > 0) mismatch(`the audit consumer gave up on ${gaveUp.length} record(s):\n  ${gaveUp.slice(0, 5).join('\n  ')}`);
  const token = await world.tokenOf(auditorEmail);
  for (const orgId of world.model.orgs.keys()) {
    const response = await world.api.call({
      method: 'GET',
      path: `/v1/orgs/${orgId}/audit/verify`,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = response.json as { verified?: unknown; entriesChecked?: unknown; firstBreak?: unknown } | undefined;
    // A restricted customer's own chain is closed to the platform admin (403); every other org's must verify.
    if (response.status === 403 && world.model.org(orgId)?.partnerAccess === false) continue;
    if (response.status !== 200 || body?.verified !== true) {
      mismatch(`the audit chain of ${orgId} does not verify: ${response.status} ${response.text.slice(0, 300)}`);
    }
    if (typeof body?.entriesChecked !== 'number' || body.entriesChecked < 1) mismatch(`${orgId} has no audit entries: ${response.text}`);
  }
};
