import { z } from 'zod';
import { roleNames } from '#domain/access/roles';
import { id, orgId, paging, timestamp, userId } from './common.ts';

const noControlCharacters = /^[^\p{Cc}]*$/u;

export const impersonationId = id('imp');

export const customerParams = z.strictObject({
  orgId: orgId.meta({ description: 'The customer (API.md: `{customerId}`); any other kind of org answers 409 `customers-only`' }),
});

export const subtreeParams = z.strictObject({
  orgId: orgId.meta({ description: 'Any org: the sessions of the customers at or below it' }),
});

export const impersonationParams = z.strictObject({ impId: impersonationId });

export const startImpersonationBody = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(10)
      .max(500)
      .regex(noControlCharacters, 'must not contain control characters')
      .meta({ description: 'Why, for the customer and the audit: 10–500 characters once trimmed' }),
    minutes: z.number().int().min(1).max(60).meta({ description: 'How long the session lasts: 1–60 minutes' }),
    ticket: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(noControlCharacters, 'must not contain control characters')
      .optional()
      .meta({ description: 'A support ticket reference, 1–100 characters' }),
  })
  .meta({ id: 'StartImpersonation' });

export const startedImpersonation = z
  .object({
    id: impersonationId,
    token: z.string().meta({
      description:
        'Bearer token acting as the session: the customer’s admin role in this customer only. Shown in this answer only (and in a replay of it under the same Idempotency-Key); never listed.',
    }),
    startedAt: timestamp,
    expiresAt: timestamp.meta({ description: 'When the session (and its token) ends by itself' }),
    customerId: orgId,
    actingRole: z.enum(roleNames).meta({ description: 'The role the session acts with: always `customer-admin`' }),
    replacedSessionIds: z.array(impersonationId).meta({
      description:
        'Sessions of yours in this customer that were still running and have now ended (`endReason: replaced`): one running session per impersonator and customer',
    }),
  })
  .meta({ id: 'StartedImpersonation' });

export const impersonationSession = z
  .object({
    id: impersonationId,
    customerId: orgId,
    impersonatorId: userId,
    impersonatorEmail: z.string(),
    actingRole: z.enum(roleNames),
    reason: z.string(),
    ticket: z.string().nullable(),
    startedAt: timestamp,
    expiresAt: timestamp.meta({ description: 'When it ends (or ended) by itself' }),
    status: z.enum(['active', 'ended']).meta({
      description:
        'active while neither ended nor expired. A session whose impersonator has since lost `impersonate` stays listed as active until it expires or is ended, but every call with its token is refused (401 `session-ended`)',
    }),
    endedAt: timestamp.nullable().meta({ description: 'When it ended (the explicit end, or `expiresAt` once passed); null while it runs' }),
    endReason: z.enum(['ended', 'replaced', 'partner-access-off', 'permission-lost', 'expired']).nullable().meta({
      description:
        '`ended` by DELETE, `replaced` by its impersonator starting another session here, `partner-access-off` by the customer’s switch, `expired` at `expiresAt`',
    }),
  })
  .meta({ id: 'ImpersonationSession', description: 'A "Login As" session, without its token' });

export const listImpersonationsQuery = z.strictObject({
  ...paging,
  status: z.enum(['active', 'ended']).optional().meta({ description: 'Only running sessions, or only ended and expired ones' }),
});
