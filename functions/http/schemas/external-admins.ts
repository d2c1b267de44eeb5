import { z } from 'zod';
import { roleNames } from '#domain/access/roles';
import { defaultExpiryDays, maxExpiryDays } from '#domain/delegation/external-admin-expiry';
import { dryRunFlag, email, orgId, paging, timestamp, userId } from './common.ts';

/** API.md writes `{customerId}`; API Gateway needs one name per path level under /v1/orgs/, so it is `{orgId}` here. */
const customerId = orgId.meta({ description: 'The customer (API.md: customerId)' });

export const externalAdminsParams = z.strictObject({ orgId: customerId });
export const externalAdminParams = z.strictObject({ orgId: customerId, userId });

export const listExternalAdminsQuery = z.strictObject({ ...paging });
export const removeExternalAdminQuery = z.strictObject({ dryRun: dryRunFlag });

export const externalAdmin = z
  .object({
    userId,
    email: z.string(),
    orgId,
    role: z.enum(roleNames),
    expiresAt: timestamp.meta({ description: 'The grant ends then (whole seconds); it is gone from lists and checks from that instant' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({
    id: 'ExternalAdmin',
    description: 'A user of another org administering this customer alone (not its siblings) until expiresAt',
  });

export const addExternalAdminBody = z
  .strictObject({
    email: email.meta({
      description:
        'Whom to make an external admin. Refused (409 own-member) for the customer’s own members; an email nobody has invited yet gets an invited user, as adding a member does (refusing it would tell which emails have accounts)',
    }),
    role: z.enum(roleNames).meta({
      description:
        'A role that can be held at a customer (else 400), carrying nothing you do not hold there yourself (else 403 no-escalation)',
    }),
    expiresAt: timestamp.optional().meta({
      description: `When the grant ends: in the future and at most ${maxExpiryDays} days ahead (else 400); ${defaultExpiryDays} days from now when left out`,
    }),
  })
  .meta({
    id: 'AddExternalAdmin',
    description:
      'Only a customer has external admins (409 customers-only). A user who is already a live external admin here is refused with 409 already-external-admin: there is no PATCH, so remove and add again to change the role or expiry',
  });
