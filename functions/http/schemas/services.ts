import { z } from 'zod';
import { roleNames } from '#domain/access/roles';
import { maxAccountsAtCreation, maxPairs, maxServiceAccounts, serviceStatuses } from '#domain/delegation/service-limits';
import { displayName, dryRunFlag, id, orgId, paging, timestamp, userId } from './common.ts';

export const serviceId = id('svc');
export const serviceParams = z.strictObject({ serviceId });

const distinct = (ids: readonly string[]) => new Set(ids).size === ids.length;
const idList = <T extends z.ZodString>(item: T, max: number, min = 0) =>
  z.array(item).min(min).max(max).refine(distinct, { message: 'must not name the same id twice' });

export const createServiceBody = z
  .strictObject({
    providerOrgId: orgId.meta({
      description:
        'The partner org that provides the service. Any partner other than the owner may be named, seen or not; an id that names no partner is a 400 that does not say whether the org exists',
    }),
    name: displayName,
    role: z.enum(roleNames).optional().meta({
      description:
        'The one role the provider’s assigned users hold on their accounts (default `read-only`). It must be assignable at every account’s kind, must not create, move or delete orgs (the grant reaches each account alone, never below it: not `platform-admin`, `channel-admin`, `partner-admin`), and the caller must hold all of its permissions at the owner and at each account',
    }),
    accountIds: idList(orgId, maxAccountsAtCreation).meta({
      description: `Accounts to share: direct children of the owner (not the provider), at most ${maxAccountsAtCreation} at creation (one atomic write); add more with PATCH`,
    }),
  })
  .meta({ id: 'CreateService' });

export const updateServiceBody = z
  .strictObject({
    addAccountIds: idList(orgId, 100, 1)
      .optional()
      .meta({
        description: `Direct children of the owner to add (each gets a new link); accounts already in are left as they are. A service holds at most ${maxServiceAccounts}`,
      }),
    removeAccountIds: idList(orgId, 100, 1).optional().meta({
      description:
        'Accounts to remove: access ends at once, then their assignments are deleted. Accounts not in the service are left as they are, so an interrupted removal is finished by repeating it',
    }),
    status: z.enum(['ended']).optional().meta({
      description: '`ended`: remove every account and close the service for good (repeat the request to finish an interrupted one)',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .refine((body) => !(body.addAccountIds ?? []).some((id) => (body.removeAccountIds ?? []).includes(id)), {
    message: 'an account cannot be added and removed at once',
    path: ['removeAccountIds'],
  })
  .refine((body) => !(body.status === 'ended' && body.addAccountIds), {
    message: 'accounts cannot be added to a service being ended',
    path: ['addAccountIds'],
  })
  .meta({ id: 'UpdateService' });

export const dryRunQuery = z.strictObject({ dryRun: dryRunFlag });

const commaSeparatedOrgIds = z
  .string()
  .max(50 * 46)
  .transform((value) => value.split(','))
  .pipe(idList(orgId, 50, 1))
  .meta({ description: 'The selected accounts, comma-separated (1–50)', example: 'org_0abc,org_0abd' });

export const candidatesQuery = z.strictObject({
  mode: z
    .enum(['grant', 'revoke'])
    .meta({ description: '`grant` leaves out users holding every selected account, `revoke` users holding none' }),
  accountIds: commaSeparatedOrgIds,
  q: z.string().trim().toLowerCase().min(1).max(254).optional().meta({ description: 'Email prefix, case-insensitive' }),
  ...paging,
});

export const assignmentPairsBody = z
  .strictObject({
    userIds: idList(userId, maxPairs, 1).meta({ description: 'Members of the provider org (memberships held at the provider itself)' }),
    accountIds: idList(orgId, maxPairs, 1).meta({ description: 'Accounts of the service' }),
  })
  .refine((body) => body.userIds.length * body.accountIds.length <= maxPairs, {
    message: `at most ${maxPairs} user × account pairs in one request`,
  })
  .meta({ id: 'ServiceAssignmentPairs', description: 'Every user named, on every account named' });

const summaryFields = {
  id: serviceId,
  name: z.string(),
  role: z.enum(roleNames),
  status: z.enum(serviceStatuses).meta({
    description: '`active`; `ending` while its accounts are being removed (repeat the request that ended it to finish); `ended`',
  }),
  ownerOrgId: orgId,
  providerOrgId: orgId,
  createdAt: timestamp,
  updatedAt: timestamp,
  endedAt: timestamp.nullable(),
  version: z.number().int(),
};

export const serviceListItem = z
  .object({ ...summaryFields, side: z.enum(['owner', 'provider']).meta({ description: 'Whether the listed org owns or receives it' }) })
  .meta({ id: 'ServiceListItem' });

export const service = z
  .object({
    ...summaryFields,
    accounts: z.array(
      z
        .object({
          accountId: orgId,
          name: z.string().nullable().meta({ description: 'Null once the org no longer exists' }),
          status: z.enum(['active', 'removing', 'detached']).meta({
            description:
              '`removing`: its link is gone (nobody reaches it through the service), leftovers are being deleted: repeat the removal to finish. `detached`: no longer a direct child of the owner (moved or deleted): nobody reaches it through the service',
          }),
          addedAt: timestamp,
          users: z
            .array(z.object({ userId, email: z.string(), assignedAt: timestamp }))
            .meta({ description: 'Provider users assigned to it whose assignment holds now' }),
        })
        .meta({ id: 'ServiceAccount' }),
    ),
  })
  .meta({ id: 'Service' });

export const serviceCandidate = z
  .object({
    userId,
    email: z.string(),
    role: z.enum(roleNames).meta({ description: 'Their role at the provider org' }),
    currentAccess: z.number().int().meta({ description: 'How many of the selected accounts they are assigned to now' }),
  })
  .meta({ id: 'ServiceCandidate' });

const counts = {
  unchanged: z.number().int().meta({ description: 'Pairs that were already so' }),
  pairs: z.number().int(),
  transactions: z.number().int().meta({ description: 'Atomic writes of at most 100 items the change took' }),
};

export const grantOutcome = z
  .object({ granted: z.number().int().meta({ description: 'Pairs assigned by this request' }), ...counts })
  .meta({ id: 'ServiceGrantOutcome' });

export const revokeOutcome = z
  .object({ revoked: z.number().int().meta({ description: 'Pairs whose assignment this request took away' }), ...counts })
  .meta({ id: 'ServiceRevokeOutcome' });
