import { z } from 'zod';
import { permissions } from '#domain/access/permissions';
import { roleNames } from '#domain/access/roles';
import { orgKinds } from '#domain/orgs/kinds';
import { dryRunFlag, email, orgId, paging, timestamp, userId } from './common.ts';

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

export const explainQuery = z.strictObject({ userId, permission: z.enum(permissions) });

export const grantKinds = ['membership', 'external-admin', 'service', 'impersonation', 'api-key'] as const;

export const grantRef = z.object({ kind: z.enum(grantKinds), orgId, role: z.enum(roleNames) }).meta({ id: 'GrantRef' });

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
