import { beforeAll, describe, expect, it } from 'vitest';
import { MembershipEntity } from '#domain/access/membership.entity';
import { approveApplication, listApplications, rejectApplication, submitApplication } from '#domain/applications/applications';
import { countCalls } from '#domain/db/call-counter';
import { anonymousActor } from '#domain/db/written-by';
import { readOrg } from '#domain/orgs/org-store';
import { getOrg } from '#domain/orgs/orgs';
import { getProfile, putProfile } from '#domain/partners/profiles';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#domain/shared/errors';
import { rootOrgId } from '#domain/shared/ids';
import { actor, as, createOrg, member, platformAdmin, unique } from './support/fixture.ts';

let admin: Awaited<ReturnType<typeof platformAdmin>>;
let channelId: string;
let closedChannelId: string;
/** The actor a request by this caller carries (the HTTP layer derives it from the caller). */
const by = (caller: { principalId: string }) => ({ ...actor, userId: caller.principalId });
const applicant = anonymousActor({ requestId: 'req-public', sourceIp: '198.51.100.23' });

const form = (overrides: Record<string, string> = {}) => ({
  channelId,
  company: unique('Applicant '),
  contactName: 'Ada Applicant',
  contactEmail: `${unique('ada')}@applicant.example`,
  country: 'FR',
  website: 'https://applicant.example',
  message: 'We would like to resell.',
  ...overrides,
});

beforeAll(async () => {
  admin = await platformAdmin();
  channelId = (await createOrg(admin, rootOrgId, 'channel')).id;
  closedChannelId = (await createOrg(admin, rootOrgId, 'channel')).id;
  await putProfile(as(admin, 'profile:write'), channelId, { programme: { partnerStatuses: [], acceptsApplications: true } }, null, actor);
});

describe('submitting (public)', () => {
  it('records a pending application to a channel that accepts them, as an anonymous actor with its source IP', async () => {
    const submitted = await submitApplication(form(), applicant);

    expect(submitted).toMatchObject({ id: expect.stringMatching(/^app_[0-9a-z]+$/), channelId, status: 'pending', country: 'FR' });
  });

  it('answers the same 400 on body.channelId for a closed channel, a partner, a missing org and a malformed-but-valid id', async () => {
    const partner = await createOrg(admin, channelId, 'partner');
    const answers = await Promise.all(
      [closedChannelId, partner.id, 'org_doesnotexist', rootOrgId].map((id) =>
        submitApplication(form({ channelId: id }), applicant).catch((error: unknown) => error),
      ),
    );

    for (const answer of answers) {
      expect(answer).toBeInstanceOf(ValidationError);
      expect({ message: (answer as ValidationError).message, errors: (answer as ValidationError).errors }).toEqual({
        message: 'The application names no channel that accepts applications',
        errors: [{ path: 'body.channelId', message: 'not a channel that accepts applications' }],
      });
    }
  });
});

describe('a channel’s admins', () => {
  it('list applications newest first, by status, one Query per page beside the authorization reads', async () => {
    const channelAdmin = await member(admin, channelId, 'channel-admin');
    const first = await submitApplication(form(), applicant);
    const second = await submitApplication(form(), applicant);
    await rejectApplication(as(channelAdmin, 'application:write'), first.id, { reason: 'Not now' }, actor);

    const all = await listApplications(as(channelAdmin, 'application:read'), channelId, { limit: 100 });
    const { result: pending, calls } = await countCalls(() =>
      listApplications(as(channelAdmin, 'application:read'), channelId, { status: 'pending', limit: 100 }),
    );

    const ids = all.items.map((item) => item.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(pending.items.map((item) => item.id)).toContain(second.id);
    expect(pending.items.map((item) => item.id)).not.toContain(first.id);
    expect(pending.items.every((item) => item.status === 'pending')).toBe(true);
    expect(calls.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2 });
  });

  it('approve: the partner org under the channel, its profile, the contact as built-in partner-admin, and who approved', async () => {
    const channelAdmin = await member(admin, channelId, 'channel-admin');
    const submitted = await submitApplication(form(), applicant);

    const approval = await approveApplication(as(channelAdmin, 'application:write'), submitted.id, by(channelAdmin));

    expect(approval).toMatchObject({ status: 'approved', decidedBy: channelAdmin.principalId, invitation: 'not-sent' });
    const partnerId = approval.partnerId as string;
    const partner = await readOrg(partnerId);
    expect(partner).toMatchObject({ kind: 'partner', parentId: channelId, name: submitted.company, builtInAdmins: 1 });
    const admins = await MembershipEntity.query.membersOfOrg({ orgId: partnerId }).go();
    expect(admins.data).toEqual([expect.objectContaining({ email: submitted.contactEmail, role: 'partner-admin', builtIn: true })]);
    const newAdmin = { principalId: admins.data[0]?.userId ?? '', principalType: 'user' as const };
    expect(await getOrg(as(newAdmin, 'org:read'), partnerId)).toMatchObject({ id: partnerId });
    expect(await getProfile(as(newAdmin, 'profile:read'), partnerId)).toMatchObject({
      companyContact: { name: 'Ada Applicant', email: submitted.contactEmail, phone: null },
      website: 'https://applicant.example',
      address: { country: 'FR' },
      statuses: [],
    });
  });

  it('approve twice at once: exactly one partner, and both answers name it', async () => {
    const channelAdmin = await member(admin, channelId, 'channel-admin');
    const submitted = await submitApplication(form(), applicant);

    const answers = await Promise.allSettled(
      Array.from({ length: 4 }, () => approveApplication(as(channelAdmin, 'application:write'), submitted.id, actor)),
    );

    const approved = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
    const refused = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason] : []));
    // A transaction conflict that outlasts the retries is a 409 the client may retry; never a second partner.
    for (const reason of refused) expect(reason).toBeInstanceOf(ConflictError);
    expect(approved.length).toBeGreaterThan(0);
    expect(new Set(approved.map((answer) => answer.partnerId)).size).toBe(1);
    expect(approved.filter((answer) => answer.invitation !== null)).toHaveLength(1);
    const children = await listApplications(as(channelAdmin, 'application:read'), channelId, { status: 'approved', limit: 100 });
    expect(children.items.filter((item) => item.id === submitted.id)).toHaveLength(1);
    const partners = (await import('#domain/orgs/org-lists')).listChildOrgs;
    const named = await partners(as(admin, 'org:read'), channelId, { q: submitted.company, limit: 100 });
    expect(named.items).toHaveLength(1);
  });

  it('approve again: the same answer, nothing created (idempotent)', async () => {
    const submitted = await submitApplication(form(), applicant);
    const first = await approveApplication(as(admin, 'application:write'), submitted.id, actor);

    const again = await approveApplication(as(admin, 'application:write'), submitted.id, actor);

    expect(again).toEqual({ ...first, invitation: null });
  });

  it('reject, then approve: 409, and the application stays rejected with its reason', async () => {
    const submitted = await submitApplication(form(), applicant);
    const rejected = await rejectApplication(as(admin, 'application:write'), submitted.id, { reason: 'Outside our region' }, by(admin));

    const approving = approveApplication(as(admin, 'application:write'), submitted.id, actor);

    await expect(approving).rejects.toThrow(ConflictError);
    await expect(approving).rejects.toMatchObject({ extensions: { rule: 'application-rejected' } });
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Outside our region', decidedBy: admin.principalId, partnerId: null });
    const again = await rejectApplication(as(admin, 'application:write'), submitted.id, { reason: 'Another reason' }, actor);
    expect(again.reason).toBe('Outside our region');
  });

  it('approve, then reject: 409', async () => {
    const submitted = await submitApplication(form(), applicant);
    await approveApplication(as(admin, 'application:write'), submitted.id, actor);

    await expect(
      rejectApplication(as(admin, 'application:write'), submitted.id, { reason: 'Changed our mind' }, actor),
    ).rejects.toMatchObject({
      extensions: { rule: 'application-approved' },
    });
  });

  it('answer outsiders as for a missing application, and the channel’s readers 403', async () => {
    const submitted = await submitApplication(form(), applicant);
    const otherChannelAdmin = await member(admin, closedChannelId, 'channel-admin');
    const partnerAdmin = await member(admin, (await createOrg(admin, channelId, 'partner')).id, 'partner-admin');
    const reader = await member(admin, channelId, 'read-only');

    for (const outsider of [otherChannelAdmin, partnerAdmin]) {
      await expect(approveApplication(as(outsider, 'application:write'), submitted.id, actor)).rejects.toThrow(
        new NotFoundError('No such application'),
      );
      await expect(listApplications(as(outsider, 'application:read'), channelId, {})).rejects.toThrow(NotFoundError);
    }
    await expect(approveApplication(as(admin, 'application:write'), 'app_doesnotexist', actor)).rejects.toThrow(
      new NotFoundError('No such application'),
    );
    await expect(rejectApplication(as(reader, 'application:write'), submitted.id, { reason: 'x' }, actor)).rejects.toThrow(ForbiddenError);
    await expect(listApplications(as(reader, 'application:read'), channelId, {})).rejects.toThrow(ForbiddenError);
  });
});
