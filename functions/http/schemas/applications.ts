import { z } from 'zod';
import { applicationStatuses } from '#domain/applications/application-statuses';
import { displayName, email, id, orgId, paging, timestamp, userId } from './common.ts';
import { country, website } from './partners.ts';

export const appId = id('app');
export const appParams = z.strictObject({ appId });

/** Free text that may span lines: trimmed, no control characters but newlines and tabs. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\t])*$/u, 'must not contain control characters other than newlines and tabs');

export const submitApplicationBody = z
  .strictObject({
    channelId: orgId.meta({ description: 'The channel whose programme is applied to; it must accept applications' }),
    company: displayName.meta({ description: 'The applying company; the partner org is named after it' }),
    contactName: displayName,
    contactEmail: email.meta({ description: 'Becomes the new partner’s built-in administrator on approval' }),
    country,
    website: website.optional(),
    message: text(2000).optional(),
  })
  .meta({
    id: 'SubmitApplication',
    description:
      'A programme application. Accepted only for an active channel that opened its programme to applications (`programme.acceptsApplications` in its profile); any other id answers the same 400 on `body.channelId`. No Idempotency-Key: callers are anonymous, and a key shared by everyone would replay one person’s answer to another.',
  });

export const submittedApplication = z
  .object({
    id: appId,
    channelId: orgId,
    company: z.string(),
    contactName: z.string(),
    contactEmail: z.string(),
    country: z.string(),
    website: z.string().nullable(),
    message: z.string().nullable(),
    status: z.enum(applicationStatuses),
    submittedAt: timestamp,
  })
  .meta({ id: 'SubmittedApplication' });

export const application = submittedApplication
  .extend({
    decidedAt: timestamp.nullable(),
    decidedBy: z.string().nullable().meta({ description: 'The user (or API key) who approved or rejected it' }),
    reason: z.string().nullable().meta({ description: 'Why it was rejected' }),
    partnerId: orgId.nullable().meta({
      description:
        'The partner org its approval created, while the caller can see it (null once it moved to another channel or was deleted)',
    }),
    partnerAdminId: userId.nullable().meta({ description: 'The contact’s user: the new partner’s built-in administrator' }),
    version: z.number().int(),
  })
  .meta({ id: 'Application' });

export const approval = application
  .extend({
    invitation: z.enum(['sent', 'existing-account', 'not-sent', 'failed']).nullable().meta({
      description:
        'How the contact was invited: `sent` (the user pool emailed them), `existing-account` (they can sign in already), `not-sent` (no user pool: the local runtime), `failed` (the partner and its administrator exist; invite them again). Null when the application had been approved before: nothing was created or sent this time.',
    }),
  })
  .meta({ id: 'Approval' });

export const listApplicationsQuery = z.strictObject({
  ...paging,
  status: z.enum(applicationStatuses).optional().meta({ description: 'Only applications in this status' }),
});

export const rejectApplicationBody = z
  .strictObject({ reason: text(500).meta({ description: 'Why; kept with the application' }) })
  .meta({ id: 'RejectApplication' });
