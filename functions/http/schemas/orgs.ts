import { z } from 'zod';
import { creatableKinds, customerTypes, orgKinds, orgStatuses, subscriptionStates } from '#domain/orgs/kinds';
import { displayName, dryRunFlag, orgId, paging, timestamp } from './common.ts';

export const orgParams = z.strictObject({ orgId });

export const subscription = z
  .object({ state: z.enum(subscriptionStates), since: timestamp })
  .meta({ id: 'Subscription', description: "A customer's subscription state" });

export const org = z
  .object({
    id: orgId,
    kind: z.enum(orgKinds),
    name: z.string(),
    status: z.enum(orgStatuses),
    path: z.string().meta({ description: 'Ids from the root down to this org, `/`-separated' }),
    parentId: orgId.nullable(),
    depth: z.number().int(),
    customerType: z.enum(customerTypes).nullable(),
    partnerAccess: z.boolean(),
    subscription: subscription.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Org' });

export const restrictedOrg = z
  .object({
    id: orgId,
    kind: z.enum(orgKinds),
    name: z.string(),
    status: z.enum(orgStatuses),
    partnerAccess: z.literal(false),
    subscription: subscription.nullable(),
    restricted: z.literal(true),
  })
  .meta({
    id: 'RestrictedOrg',
    description: 'A customer that switched partner access off, as seen from above: it exists and is billed, nothing more',
  });

export const orgOrSummary = z.union([org, restrictedOrg]);

export const createChildBody = z
  .strictObject({
    kind: z.enum(creatableKinds),
    name: displayName,
    customerType: z.enum(customerTypes).optional().meta({ description: 'Customers only (default `standard`)' }),
    subscriptionState: z
      .enum(['trial', 'active'])
      .optional()
      .meta({ description: 'Customers only: the initial subscription state (default `trial`)' }),
  })
  .meta({ id: 'CreateChild' });

export const updateOrgBody = z
  .strictObject({
    name: displayName.optional(),
    status: z.enum(orgStatuses).optional(),
    subscriptionState: z.enum(subscriptionStates).optional().meta({ description: 'Customers only; follows the allowed transitions' }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'UpdateOrg' });

export const listOrgsQuery = z.strictObject({
  ...paging,
  kind: z.enum(orgKinds).optional(),
  status: z.enum(orgStatuses).optional(),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Name prefix, case-insensitive' }),
});

export const moveBody = z.strictObject({ newParentId: orgId }).meta({ id: 'MoveOrg' });

export const moveResult = z
  .object({
    org: org,
    movedOrgs: z.number().int().meta({ description: 'Orgs whose path changed (the org and its descendants)' }),
    moveId: z.string().nullable().meta({ description: 'Set when the subtree was moved in resumable steps' }),
  })
  .meta({ id: 'MoveResult' });

export const breadcrumb = z
  .object({ items: z.array(z.object({ id: orgId, name: z.string(), kind: z.enum(orgKinds) })) })
  .meta({ id: 'Breadcrumb' });

export const partnerAccessBody = z
  .strictObject({ enabled: z.boolean().meta({ description: 'false: only the customer’s own members get in' }) })
  .meta({ id: 'PartnerAccess' });

export const partnerAccessQuery = z.strictObject({ dryRun: dryRunFlag });
export const moveQuery = z.strictObject({ dryRun: dryRunFlag });
