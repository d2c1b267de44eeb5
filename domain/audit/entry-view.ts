import type { AuditAction } from './actions.ts';
import type { AuditEntryItem } from './audit-entry.entity.ts';

/** An audit entry as the API shows it. */
export interface AuditEntryView {
  id: string;
  at: string;
  /** The user, impersonation session or API key that made the change; `anonymous` for a public route's (see `sourceIp`); `system` or `system:ttl` for the platform's own. */
  actor: string;
  /** The user behind an impersonation session. */
  impersonator: string | null;
  impersonationId: string | null;
  /** The role an impersonation session acted with. */
  actingRole: string | null;
  apiKeyId: string | null;
  requestId: string;
  sourceIp: string | null;
  orgId: string;
  orgPath: string;
  action: AuditAction;
  target: { type: string; id: string };
  changes: Record<string, { before: unknown; after: unknown }>;
  /** Position in the org's own chain, and the hashes that link it. */
  seq: number;
  prevHash: string;
  hash: string;
}

export const toAuditEntryView = (item: AuditEntryItem): AuditEntryView => ({
  id: item.entryId,
  at: item.at,
  actor: item.actor,
  impersonator: item.impersonator ?? null,
  impersonationId: item.impersonationId ?? null,
  actingRole: item.actingRole ?? null,
  apiKeyId: item.apiKeyId ?? null,
  requestId: item.requestId,
  sourceIp: item.sourceIp ?? null,
  orgId: item.orgId,
  orgPath: item.orgPath,
  action: item.action,
  target: { type: item.targetType, id: item.targetId },
  changes: item.changes as AuditEntryView['changes'],
  seq: item.seq,
  prevHash: item.prevHash,
  hash: item.hash,
});
