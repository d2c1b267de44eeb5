import { z } from 'zod';
import { permissions } from '#domain/access/permissions';
import { roleNames } from '#domain/access/roles';
import { orgKinds } from '#domain/orgs/kinds';
import { dryRunFlag, email, orgId, page, paging, timestamp, userId } from './common.ts';

export const role = z
  .object({
    name: z.enum(roleNames),
    description: z.string(),
    permissions: z.array(z.enum(permissions)),
    assignableAt: z.array(z.enum(orgKinds)),
  })
  .meta({ id: 'Role' });

export const member = z
  .object({
    userId,
    email: z.string(),
    orgId,
    role: z.enum(roleNames),
    builtIn: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Member' });

export const memberParams = z.strictObject({ orgId, userId });

export const removeMemberQuery = z.strictObject({ dryRun: dryRunFlag });

export const addMemberBody = z
  .strictObject({
    email,
    role: z.enum(roleNames),
    builtIn: z.boolean().optional().meta({ description: 'A local (built-in) administrator of this org' }),
  })
  .meta({ id: 'AddMember' });

export const updateMemberBody = z.strictObject({ role: z.enum(roleNames) }).meta({ id: 'UpdateMember' });

export const listMembersQuery = z.strictObject({ ...paging });

/** Whom an explanation may be about: a user, an API key or an impersonation session. */
export const principalId = z
  .string()
  .regex(/^(?:usr|key|imp)_[0-9a-z]{1,40}$/, 'must be an id of the form usr_…, key_… or imp_…')
  .meta({ example: 'key_0abc' });

export const explainQuery = z
  .strictObject({
    userId: userId.optional().meta({ description: 'The user to explain (kept for existing clients; same as principalId=usr_…)' }),
    principalId: principalId.optional().meta({
      description:
        'The principal to explain: a user (usr_…), an API key (key_…) or an impersonation session (imp_…). Give this or userId, not both',
    }),
    permission: z.enum(permissions),
  })
  .superRefine((query, context) => {
    if (query.userId !== undefined && query.principalId !== undefined) {
      context.addIssue({ code: 'custom', path: ['principalId'], message: 'give userId or principalId, not both' });
    } else if (query.userId === undefined && query.principalId === undefined) {
      context.addIssue({ code: 'custom', path: ['userId'], message: 'userId (or principalId) is required' });
    }
  });

export const grantKinds = ['membership', 'external-admin', 'service', 'impersonation', 'api-key'] as const;

const grantIds = {
  serviceId: z.string().optional().meta({ description: 'Service assignments: the service' }),
  impersonationId: z.string().optional().meta({ description: 'Impersonation: the session' }),
  keyId: z.string().optional().meta({ description: 'API keys: the key' }),
  expiresAt: timestamp.optional().meta({ description: 'External admins: when the grant ends; impersonation: when the session does' }),
};

export const grantRef = z
  .object({ kind: z.enum(grantKinds), orgId, role: z.enum(roleNames), ...grantIds })
  .meta({ id: 'GrantRef', description: 'A grant: its kind, the org it is held at, its role, and the id that names it' });

export const explanation = z
  .object({
    allowed: z.boolean(),
    reason: z.string(),
    grant: grantRef.nullable(),
    rule: z.string().nullable().meta({ description: 'The rule that denied the call, when denied' }),
  })
  .meta({ id: 'Explanation' });

const orgNamed = { orgId, orgName: z.string().nullable(), orgKind: z.enum(orgKinds).nullable() };

export const me = z
  .object({
    userId: userId.nullable().meta({ description: 'The person; for an impersonation session, the impersonator' }),
    email: z.string().nullable(),
    principalType: z.enum(['user', 'api-key', 'impersonation']),
    memberships: z.array(z.object({ ...orgNamed, role: z.enum(roleNames), builtIn: z.boolean() })),
    delegated: z
      .array(
        z.object({
          ...orgNamed,
          kind: z.enum(['external-admin', 'service']),
          role: z.enum(roleNames),
          serviceId: z.string().nullable(),
          expiresAt: timestamp.nullable(),
        }),
      )
      .meta({ description: 'Access given from elsewhere: external administration of a customer, service accounts' }),
    impersonation: z
      .object({ ...orgNamed, id: z.string(), impersonatorId: userId, actingRole: z.enum(roleNames), endsAt: timestamp })
      .nullable()
      .meta({ description: 'The impersonation session, when the request is made with its token' }),
    apiKey: z
      .object({ ...orgNamed, id: z.string(), role: z.enum(roleNames) })
      .nullable()
      .meta({ description: 'The API key, when the request is made with one' }),
  })
  .meta({ id: 'Me' });

export const listAccessQuery = z.strictObject({ ...paging });

export const accessVia = z
  .object({
    kind: z.enum(grantKinds),
    orgId: orgId.meta({ description: 'Where the grant is held: the org itself, or an ancestor for memberships and API keys' }),
    builtIn: z.boolean().optional().meta({ description: 'Memberships: a built-in (local) member' }),
    impersonatorId: userId.optional().meta({ description: 'Impersonation: the user behind the session' }),
    ...grantIds,
  })
  .meta({ id: 'AccessVia' });

const blockedBy = z
  .literal('partner-access-off')
  .optional()
  .meta({ description: 'Set when the grant reaches the org but its partner-access restriction stops it' });

export const accessItem = z
  .object({
    principalType: z.enum(['user', 'api-key', 'impersonation']),
    principalId: z.string().meta({ description: 'usr_…, key_… or imp_…' }),
    email: z.string().nullable().meta({ description: 'The user’s email; a session’s impersonator’s; null for an API key' }),
    role: z.enum(roleNames),
    via: accessVia,
    effective: z.boolean().meta({ description: 'False when the customer’s partner-access restriction stops this grant' }),
    blockedBy,
  })
  .meta({ id: 'AccessItem', description: 'One grant that reaches the org, and who holds it' });

export const accessPage = page(accessItem)
  .extend({
    heldAboveScope: z.object({ grants: z.number().int(), effective: z.boolean(), blockedBy }).nullable().meta({
      description:
        'Grants held at orgs above your own scope (memberships and API keys of ancestors you cannot see): counted on every page, never named, as explanations never name them. Null when there are none',
    }),
  })
  .meta({
    id: 'AccessPage',
    description:
      'Everyone who can reach the org, one item per grant, in a fixed order: down the path (from the highest org you can see), each org’s members then its API keys; then the org’s external admins, service assignments and running impersonation sessions. Grants a partner-access restriction stops are listed with effective: false. A page is one round of parallel Queries and may hold fewer than limit',
  });
