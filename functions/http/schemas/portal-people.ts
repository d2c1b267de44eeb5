import { z } from 'zod';
import { clientPermissions } from '#domain/portal/client-permissions';
import { email, orgId, paging, timestamp, userId } from './common.ts';

export const clientPermission = z.enum(clientPermissions).meta({
  id: 'ClientPermission',
  description:
    'What a requester may do in the client portal: view-company-tickets | view-own-tickets, create-tickets (open, edit its own open tickets, comment), view-projects (those shown to the client), view-all-assets | view-mapped-assets, view-documents, view-quotes-invoices, approve-quotes',
});

const uniqueItems = <T>(items: readonly T[]) => new Set(items).size === items.length;

export const portalRoleName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit')
  .meta({ description: 'Compared case- and space-insensitively; built-in: client-admin, approver, requester', example: 'client-admin' });

export const portalRole = z
  .object({
    name: z.string(),
    builtIn: z.boolean(),
    description: z.string().nullable(),
    permissions: z.array(clientPermission),
  })
  .meta({ id: 'PortalRole' });

export const portalRolePage = z
  .object({
    builtIn: z.array(portalRole).meta({ description: 'The built-in roles, on every page' }),
    items: z.array(portalRole).meta({ description: "A page of this partner's own roles, by name" }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'PortalRolePage' });

export const listPortalRolesQuery = z.strictObject({ ...paging });

export const createPortalRoleBody = z
  .strictObject({
    name: portalRoleName,
    permissions: z
      .array(clientPermission)
      .min(1)
      .max(clientPermissions.length)
      .refine(uniqueItems, 'must not repeat a permission')
      .meta({ description: 'A role never changes once created: its permissions are copied onto each requester given it' }),
  })
  .meta({ id: 'CreatePortalRole' });

export const requester = z
  .object({
    userId,
    email: z.string(),
    customerId: orgId,
    portalRole: z.string(),
    permissions: z.array(clientPermission).meta({ description: "The role's permissions, as copied when the role was given" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Requester' });

export const createdRequester = requester
  .extend({
    invitation: z.enum(['email-sent', 'already-registered', 'local-token', 'failed']).meta({
      description:
        'email-sent: the user pool emailed an invitation; already-registered: the person can already sign in; local-token: the local runtime (sign in with POST /local/token); failed: the grant stands, invite again from the user pool',
    }),
  })
  .meta({ id: 'CreatedRequester' });

export const requesterParams = z.strictObject({
  orgId: orgId.meta({ description: 'The customer' }),
  userId,
});

export const listRequestersQuery = z.strictObject({ ...paging });

export const addRequesterBody = z
  .strictObject({
    email,
    portalRole: portalRoleName.meta({ description: "A built-in portal role, or one the customer's partner defined" }),
  })
  .meta({ id: 'AddRequester' });

export const updateRequesterBody = z.strictObject({ portalRole: portalRoleName }).meta({ id: 'UpdateRequester' });

export const company = z
  .object({ customerId: orgId, customerName: z.string(), portalRole: z.string(), permissions: z.array(clientPermission) })
  .meta({ id: 'Company' });

export const companies = z
  .object({
    items: z
      .array(company)
      .meta({ description: 'Every customer whose portal the caller may use; name one in the path of a call to act there' }),
  })
  .meta({ id: 'Companies' });
