import { type AccessRequest, authorizeLoaded, authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { decide } from '../access/decide.ts';
import { type Grant, loadGrants } from '../access/grants.ts';
import { UserEmailEntity } from '../access/user.entity.ts';
import { invitedMeanwhile, newUserWrites } from '../access/users.ts';
import { db } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { type Invitation, inviteUser } from '../directory/directory.ts';
import type { Page } from '../orgs/org-lists.ts';
import { defaultLimit } from '../orgs/org-lists.ts';
import { readOrg, readOrgs } from '../orgs/org-store.ts';
import { insertChildOrg } from '../orgs/orgs.ts';
import { profileItemOf, readProgramme } from '../partners/profiles.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { ApplicationEntity, type ApplicationItem, type ApplicationStatus } from './application.entity.ts';

export interface ApplicationInput {
  channelId: string;
  company: string;
  contactName: string;
  contactEmail: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  website?: string | undefined;
  message?: string | undefined;
}

/** What the public form gets back: what it sent, with the application's id and status. */
export interface SubmittedApplicationView {
  id: string;
  channelId: string;
  company: string;
  contactName: string;
  contactEmail: string;
  country: string;
  website: string | null;
  message: string | null;
  status: ApplicationStatus;
  submittedAt: string;
}

/** An application as its channel's admins see it. */
export interface ApplicationView extends SubmittedApplicationView {
  decidedAt: string | null;
  /** The user (or API key) who approved or rejected it. */
  decidedBy: string | null;
  /** Why it was rejected. */
  reason: string | null;
  /** The partner org its approval created. */
  partnerId: string | null;
  /** The contact's user: the new partner's built-in administrator. */
  partnerAdminId: string | null;
  version: number;
}

/** How the new partner's administrator was invited: by the user pool's email, not at all (local runtime), or not (yet). */
export type InvitationOutcome = 'sent' | 'existing-account' | 'not-sent' | 'failed';

export interface ApprovalView extends ApplicationView {
  /** Null when the application had been approved before: nothing was created or sent this time. */
  invitation: InvitationOutcome | null;
}

export const toSubmittedView = (item: ApplicationItem): SubmittedApplicationView => ({
  id: item.appId,
  channelId: item.channelId,
  company: item.company,
  contactName: item.contactName,
  contactEmail: item.contactEmail,
  country: item.country,
  website: item.website ?? null,
  message: item.message ?? null,
  status: item.status,
  submittedAt: item.submittedAt,
});

export const toApplicationView = (item: ApplicationItem): ApplicationView => ({
  ...toSubmittedView(item),
  decidedAt: item.decidedAt ?? null,
  decidedBy: item.decidedBy ?? null,
  reason: item.reason ?? null,
  partnerId: item.partnerId ?? null,
  partnerAdminId: item.partnerAdminId ?? null,
  version: item.version,
});

/**
 * An approved application names the partner it created only while the
 * caller can see that partner: a partner moved to another channel, or
 * deleted, since is none of this channel's business any more. One BatchGet
 * for the page's approved applications, none when it has none.
 */
const withVisiblePartners = async (grants: readonly Grant[], views: ApplicationView[]): Promise<ApplicationView[]> => {
  const partnerIds = views.flatMap((view) => (view.partnerId ? [view.partnerId] : []));
  if (partnerIds.length === 0) return views;
  const partners = await readOrgs(partnerIds);
  const visible = (partnerId: string) => {
    const partner = partners.get(partnerId);
    return partner !== undefined && decide(grants, partner, 'org:read').allowed;
  };
  return views.map((view) => (view.partnerId && !visible(view.partnerId) ? { ...view, partnerId: null } : view));
};

/** The same answer for a missing application and one whose channel is out of the caller's scope. */
const applicationNotFound = () => new NotFoundError('No such application');

const notAcceptingApplications = () =>
  new ValidationError('The application names no channel that accepts applications', {
    errors: [{ path: 'body.channelId', message: 'not a channel that accepts applications' }],
  });

/**
 * Records an application from the public form. It is accepted only for a
 * channel that is active and has opened its programme to applications (its
 * profile's `programme.acceptsApplications`); any other id (no such org, not
 * a channel, closed, suspended) gets the same 400 on `body.channelId`, so the
 * form answers nothing about ids beyond "this programme takes applications",
 * which its channel publishes anyway. The actor is anonymous: the request id
 * and source IP say who it was.
 */
export const submitApplication = async (
  input: ApplicationInput,
  actor: Actor,
  options: { appId?: string; now?: Date } = {},
): Promise<SubmittedApplicationView> => {
  const [channel, programme] = await Promise.all([readOrg(input.channelId), readProgramme(input.channelId)]);
  if (channel?.kind !== 'channel' || channel.status !== 'active' || programme?.acceptsApplications !== true) {
    throw notAcceptingApplications();
  }
  const by = writtenBy(actor, (options.now ?? new Date()).toISOString());
  const item: ApplicationItem = {
    appId: options.appId ?? newId('app'),
    channelId: input.channelId,
    company: input.company,
    contactName: input.contactName,
    contactEmail: input.contactEmail.trim().toLowerCase(),
    country: input.country,
    ...(input.website ? { website: input.website } : {}),
    ...(input.message ? { message: input.message } : {}),
    status: 'pending',
    submittedAt: by.at,
    version: 1,
    writtenBy: by,
  };
  await transact(
    () => db.transaction.write(({ application }) => [application.create(item).commit()]).go(),
    () => new ConflictError(`Application ${item.appId} already exists`),
  );
  return toSubmittedView(item);
};

export interface ApplicationListQuery {
  status?: ApplicationStatus | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/**
 * The applications addressed to an org (only channels receive any), newest
 * first, optionally of one status: one Query per page, read beside the
 * authorization reads and returned only once allowed.
 */
export const listApplications = async (
  access: AccessRequest,
  orgId: string,
  query: ApplicationListQuery,
): Promise<Page<ApplicationView>> => {
  const binding = JSON.stringify(['applications', orgId, query.status ?? null]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const options = { cursor: state?.k ?? null, limit: query.limit ?? defaultLimit, order: 'desc' as const };
  const [{ grants }, page] = await Promise.all([
    authorizeOn(access, orgId),
    query.status
      ? ApplicationEntity.query.ofChannelByStatus({ channelId: orgId, status: query.status }).go(options)
      : ApplicationEntity.query.ofChannel({ channelId: orgId }).go(options),
  ]);
  const items = await withVisiblePartners(grants, page.data.map(toApplicationView));
  return { items, nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null };
};

/**
 * The application and the caller's right on its channel. The application is
 * read first (its channel decides who may act on it); a missing one and one
 * whose channel is out of scope answer the same 404.
 */
const authorizeOnApplication = async <T>(access: AccessRequest, appId: string, beside: (item: ApplicationItem) => Promise<T>) => {
  // The caller's grants are read first, with the application: an ended session is a 401 whatever the id names.
  const [{ data: item }, grants] = await Promise.all([ApplicationEntity.get({ appId }).go(), loadGrants(access.caller)]);
  if (!item) throw applicationNotFound();
  try {
    const [org, extra] = await Promise.all([readOrg(item.channelId), beside(item)]);
    return { ...authorizeLoaded(access, grants, org, item.channelId), item, extra };
  } catch (error) {
    if (error instanceof NotFoundError) throw applicationNotFound();
    throw error;
  }
};

/** The decision another request made first, read back consistently. */
const currentApplication = async (appId: string): Promise<ApplicationItem> => {
  const { data } = await ApplicationEntity.get({ appId }).go({ consistent: true });
  if (!data) throw applicationNotFound();
  return data;
};

const decider = (actor: Actor): string => actor.userId ?? actor.apiKeyId ?? actor.impersonatorId ?? 'system';

const alreadyRejected = () =>
  new ConflictError('This application was rejected; a rejected application cannot be approved', {
    extensions: { rule: 'application-rejected' },
  });

/** Thrown inside the approval when its conditional transition found the application no longer pending. */
class DecidedMeanwhileError extends ConflictError {}

const invitationOutcome = async (email: string): Promise<InvitationOutcome> => {
  try {
    const invitation: Invitation = await inviteUser(email);
    return invitation.channel === 'none' ? 'not-sent' : invitation.created ? 'sent' : 'existing-account';
  } catch {
    // The partner and its administrator exist whatever the user pool said; the administrator can be invited again.
    return 'failed';
  }
};

/**
 * Approves an application: creates the partner org under the channel (named
 * after the company, its profile from the application), makes the contact
 * its built-in `partner-admin`, and records who approved, all in one
 * transaction whose first write moves the application from `pending` to
 * `approved` on that condition. So it happens once: a second approval, even a
 * concurrent one, finds the application approved and answers it as it is
 * (idempotent, `invitation: null`), and a rejected one is refused (409). The
 * contact is then invited through the user pool (deployed stacks).
 */
export const approveApplication = async (access: AccessRequest, appId: string, actor: Actor): Promise<ApprovalView> => {
  const {
    org: channel,
    grants,
    item,
    extra: existingUser,
  } = await authorizeOnApplication(access, appId, async (app) => (await UserEmailEntity.get({ email: app.contactEmail }).go()).data);
  const asItIs = async (approved: ApplicationItem): Promise<ApprovalView> => {
    const [view] = await withVisiblePartners(grants, [toApplicationView(approved)]);
    return { ...(view ?? toApplicationView(approved)), invitation: null };
  };
  if (item.status === 'approved') return asItIs(item);
  if (item.status === 'rejected') throw alreadyRejected();
  const email = item.contactEmail;
  const userId = existingUser?.userId ?? newId('usr');
  let decided: ApplicationItem = item;
  try {
    await insertChildOrg(channel, { kind: 'partner', name: item.company }, actor, {
      extras: {
        item: { builtInAdmins: 1 },
        writes: ({ application, orgProfile, membership, user, userEmail }, { orgId, by }) => {
          decided = {
            ...item,
            status: 'approved',
            decidedAt: by.at,
            decidedBy: decider(actor),
            partnerId: orgId,
            partnerAdminId: userId,
            version: item.version + 1,
            writtenBy: by,
          };
          const profile = profileItemOf(
            { orgId, kind: 'partner' },
            {
              companyContact: { name: item.contactName, email, phone: null },
              website: item.website ?? null,
              address: { lines: [], city: null, postalCode: null, region: null, country: item.country },
              statuses: [],
            },
            { createdAt: by.at, version: 1, by },
          );
          return [
            application
              .patch({ appId })
              .set({
                status: 'approved',
                decidedAt: by.at,
                decidedBy: decider(actor),
                partnerId: orgId,
                partnerAdminId: userId,
                version: item.version + 1,
                writtenBy: by,
              })
              .composite({ channelId: item.channelId, submittedAt: item.submittedAt })
              .where((attr, { eq }) => eq(attr.status, 'pending'))
              .commit(),
            orgProfile.create(profile).commit(),
            membership
              .create({
                userId,
                orgId,
                email,
                role: 'partner-admin',
                builtIn: true,
                createdAt: by.at,
                updatedAt: by.at,
                version: 1,
                writtenBy: by,
              })
              .commit(),
            ...newUserWrites({ user, userEmail }, { userId, email }, Boolean(existingUser), by),
          ];
        },
        onConditionFailed: (index) =>
          index === 0 ? new DecidedMeanwhileError('The application was decided while this request ran') : invitedMeanwhile(),
      },
    });
  } catch (error) {
    if (!(error instanceof DecidedMeanwhileError)) throw error;
    const now = await currentApplication(appId);
    if (now.status === 'approved') return asItIs(now);
    throw alreadyRejected();
  }
  return { ...toApplicationView(decided), invitation: await invitationOutcome(email) };
};

/**
 * Rejects a pending application with a reason, on the condition that it is
 * still pending. Rejecting it again answers it as it is (the first reason
 * stands); an approved application cannot be rejected (409).
 */
export const rejectApplication = async (
  access: AccessRequest,
  appId: string,
  input: { reason: string },
  actor: Actor,
): Promise<ApplicationView> => {
  const { item } = await authorizeOnApplication(access, appId, async () => null);
  const approved = () =>
    new ConflictError('This application was approved; an approved application cannot be rejected', {
      extensions: { rule: 'application-approved' },
    });
  if (item.status === 'rejected') return toApplicationView(item);
  if (item.status === 'approved') throw approved();
  const by = writtenBy(actor, new Date().toISOString());
  const next: ApplicationItem = {
    ...item,
    status: 'rejected',
    reason: input.reason,
    decidedAt: by.at,
    decidedBy: decider(actor),
    version: item.version + 1,
    writtenBy: by,
  };
  try {
    await transact(
      () =>
        db.transaction
          .write(({ application }) => [
            application
              .patch({ appId })
              .set({
                status: 'rejected',
                reason: input.reason,
                decidedAt: by.at,
                decidedBy: decider(actor),
                version: next.version,
                writtenBy: by,
              })
              .composite({ channelId: item.channelId, submittedAt: item.submittedAt })
              .where((attr, { eq }) => eq(attr.status, 'pending'))
              .commit(),
          ])
          .go(),
      () => new DecidedMeanwhileError('The application was decided while this request ran'),
    );
  } catch (error) {
    if (!(error instanceof DecidedMeanwhileError)) throw error;
    const now = await currentApplication(appId);
    if (now.status === 'rejected') return toApplicationView(now);
    throw approved();
  }
  return toApplicationView(next);
};
