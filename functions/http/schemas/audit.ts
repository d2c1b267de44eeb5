import { z } from 'zod';
import { auditActions } from '#domain/audit/actions';
import { id, orgId, paging, timestamp } from './common.ts';

const change = z.object({ before: z.unknown(), after: z.unknown() });

export const auditEntry = z
  .object({
    id: id('aud'),
    at: timestamp,
    actor: z.string().meta({
      description:
        'The user (`usr_…`), impersonation session (`imp_…`) or API key (`key_…`) that made the change; `system` for the platform itself, `system:ttl` for expiry',
    }),
    impersonator: z.string().nullable().meta({ description: 'The user behind an impersonation session' }),
    impersonationId: z.string().nullable(),
    actingRole: z.string().nullable().meta({ description: 'The role an impersonation session acted with' }),
    apiKeyId: z.string().nullable(),
    requestId: z.string(),
    sourceIp: z.string().nullable(),
    orgId,
    orgPath: z.string(),
    action: z.enum(auditActions),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z
      .record(z.string(), change)
      .meta({ description: 'Changed fields with their values before and after (null when absent); secrets are never recorded' }),
    seq: z.number().int().meta({ description: "Position in the org's own hash chain" }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const listAuditQuery = z
  .strictObject({
    ...paging,
    from: timestamp.optional().meta({ description: 'Entries at or after this time' }),
    to: timestamp.optional().meta({ description: 'Entries at or before this time' }),
    actor: z
      .string()
      .regex(/^(?:usr|imp|key)_[0-9a-z]{1,40}$/, 'must be a user, impersonation or API key id')
      .optional()
      .meta({ description: 'Entries made by this user, session or key, or by sessions this user impersonated with' }),
    action: z.enum(auditActions).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });

export const verifyAuditQuery = z.strictObject({
  cursor: paging.cursor,
});

const chainBreak = z.object({
  seq: z.number().int(),
  entryId: z.string().nullable(),
  reason: z.enum(['hash', 'link', 'missing', 'head']),
  detail: z.string(),
});

export const chainVerification = z
  .object({
    orgId,
    verified: z.boolean(),
    entriesChecked: z.number().int(),
    firstSeq: z.number().int().nullable(),
    lastSeq: z.number().int().nullable(),
    headSeq: z.number().int().nullable(),
    firstBreak: chainBreak.nullable(),
    nextCursor: z.string().nullable().meta({ description: 'Set when the chain is longer than one call checks (5,000 links)' }),
  })
  .meta({ id: 'AuditChainVerification' });
