import { z } from 'zod';
import { type IdPrefix, idPattern } from '#domain/shared/ids';

export const id = (prefix: IdPrefix) =>
  z
    .string()
    .regex(idPattern(prefix), `must be an id of the form ${prefix}_…`)
    .meta({ example: `${prefix}_0abc` });

export const orgId = id('org');
export const userId = id('usr');

export const timestamp = z.iso.datetime().meta({ description: 'ISO 8601, UTC', example: '2026-01-01T00:00:00.000Z' });

/** Query-string paging: limit 1–100 (default 25), an opaque signed cursor. */
export const paging = {
  limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: 'Page size, 1–100 (default 25)' }),
  cursor: z.string().min(1).max(4096).optional().meta({ description: 'Opaque cursor from the previous page' }),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Open to extension members (`rule`, `currentVersion`, …), as RFC 9457 allows. */
export const problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem document' });

/** Names: trimmed, 1–100 characters, no control characters. */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const email = z.string().trim().max(254).toLowerCase().pipe(z.email());

export const emptyParams = z.strictObject({});

/** `?dryRun=true`: answer what a change that takes access away would do, and write nothing. */
export const dryRunFlag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional()
  .meta({ description: 'true: report what would happen (users losing access, accounts, sessions, rules broken) and change nothing' });

const accessLoss = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  orgId: z.string(),
  via: z.enum(['membership', 'external-admin', 'service', 'impersonation', 'api-key']),
});

export const dryRunReport = z
  .object({
    dryRun: z.literal(true),
    wouldSucceed: z.boolean(),
    usersLosingAccess: z.array(accessLoss),
    losingAccessAboveScope: z.number().int().optional().meta({
      description:
        'Switching partner access off: how many more principals would lose access whose every grant is held above your scope (counted, not named, as in the access listing)',
    }),
    accountsAffected: z.array(z.string()),
    sessionsEnding: z.array(z.string()),
    violations: z.array(z.object({ rule: z.string(), message: z.string() })),
  })
  .meta({ id: 'DryRunReport', description: 'What the change would do; nothing was written' });
