import { type AccessRequest, authorizeOn, orgNotFound } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { db, orgStillExists } from '../db/service.ts';
import { transact } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { assertVersion } from '../orgs/orgs.ts';
import { ConflictError, changedMeanwhile, type FieldError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { builtInPartnerStatuses } from './partner-statuses.ts';
import { ProfileEntity, type ProfileItem } from './profile.entity.ts';

/** Every partner may carry these; a channel adds its own (`programme.partnerStatuses`). */

export interface Contact {
  name: string;
  email: string;
  phone: string | null;
}

export interface PostalAddress {
  lines: string[];
  city: string | null;
  postalCode: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Programme {
  /** Statuses this channel's partners may hold besides the built-in ones. */
  partnerStatuses: string[];
  /** Whether the public application form accepts applications to this channel. */
  acceptsApplications: boolean;
}

export interface ContactInput {
  name: string;
  email: string;
  phone?: string | null | undefined;
}

export interface PostalAddressInput {
  lines: string[];
  city?: string | null | undefined;
  postalCode?: string | null | undefined;
  region?: string | null | undefined;
  country: string;
}

/** What a PUT replaces the profile with: a field left out is cleared. */
export interface ProfileInput {
  companyContact?: ContactInput | null | undefined;
  billingContact?: ContactInput | null | undefined;
  website?: string | null | undefined;
  address?: PostalAddressInput | null | undefined;
  statuses?: string[] | undefined;
  programme?: Programme | undefined;
}

export interface ProfileView {
  orgId: string;
  kind: 'channel' | 'partner';
  companyContact: Contact | null;
  billingContact: Contact | null;
  website: string | null;
  address: PostalAddress | null;
  /** Partners only. */
  statuses?: string[];
  /** Channels only. */
  programme?: Programme;
  /** 0 while nothing has been stored: `If-Match: "0"` then creates it only if nobody else did. */
  version: number;
  updatedAt: string | null;
}

type ProfileKind = ProfileView['kind'];
const hasProfile = (kind: OrgItem['kind']): kind is ProfileKind => kind === 'channel' || kind === 'partner';

const contactView = (value: ProfileItem['companyContact']): Contact | null =>
  value ? { name: value.name, email: value.email, phone: value.phone ?? null } : null;

/** The profile as the API shows it; an org that has none yet shows an empty one at version 0. */
export const toProfileView = (org: { orgId: string; kind: ProfileKind }, item: ProfileItem | null): ProfileView => ({
  orgId: org.orgId,
  kind: org.kind,
  companyContact: contactView(item?.companyContact),
  billingContact: contactView(item?.billingContact),
  website: item?.website ?? null,
  address: item?.address
    ? {
        lines: item.address.lines ?? [],
        city: item.address.city ?? null,
        postalCode: item.address.postalCode ?? null,
        region: item.address.region ?? null,
        country: item.address.country,
      }
    : null,
  ...(org.kind === 'partner' ? { statuses: item?.statuses ?? [] } : {}),
  ...(org.kind === 'channel'
    ? { programme: { partnerStatuses: item?.partnerStatuses ?? [], acceptsApplications: item?.acceptsApplications ?? false } }
    : {}),
  version: item?.version ?? 0,
  updatedAt: item?.updatedAt ?? null,
});

const noProfile = (kind: string) =>
  `A ${kind} has no profile: profiles are kept for channels and partners (a customer's details are its partner's business)`;

const readProfile = async (orgId: string): Promise<ProfileItem | null> => (await ProfileEntity.get({ orgId }).go()).data;

/**
 * A channel's or partner's profile: one round trip (the profile is read
 * beside the authorization reads and returned only once allowed). Customers
 * and the platform keep none: 404 with the rule `no-profile`.
 */
export const getProfile = async (access: AccessRequest, orgId: string): Promise<ProfileView> => {
  const [{ org }, item] = await Promise.all([authorizeOn(access, orgId), readProfile(orgId)]);
  if (!hasProfile(org.kind)) throw new NotFoundError(noProfile(org.kind), { extensions: { rule: 'no-profile' } });
  return toProfileView({ orgId, kind: org.kind }, item);
};

/**
 * The statuses a partner may hold: the built-in ones and those its channel
 * defines (read only when the request names one that is not built in).
 */
const assertStatusesAllowed = async (org: OrgItem, statuses: readonly string[]): Promise<void> => {
  const builtIn: readonly string[] = builtInPartnerStatuses;
  if (statuses.every((status) => builtIn.includes(status))) return;
  const channelId = OrgPath.ids(org.path)[1];
  const channel = channelId ? await readProfile(channelId) : null;
  const allowed = [...builtIn, ...(channel?.partnerStatuses ?? [])];
  const errors: FieldError[] = statuses.flatMap((status, index) =>
    allowed.includes(status) ? [] : [{ path: `body.statuses.${index}`, message: `not a status of this channel (${allowed.join(', ')})` }],
  );
  if (errors.length > 0) throw new ValidationError('The profile names statuses its channel does not define', { errors });
};

const assertFitsKind = (kind: ProfileKind, input: ProfileInput): void => {
  if (kind === 'partner' && input.programme !== undefined) {
    throw new ValidationError('Only a channel has a programme', { errors: [{ path: 'body.programme', message: 'channels only' }] });
  }
  if (kind === 'channel' && (input.statuses ?? []).length > 0) {
    throw new ValidationError('Only a partner has statuses', { errors: [{ path: 'body.statuses', message: 'partners only' }] });
  }
};

const contactItem = (contact: ContactInput | null | undefined) =>
  contact ? { name: contact.name, email: contact.email, ...(contact.phone ? { phone: contact.phone } : {}) } : undefined;

/** The stored item for a profile as given; absent and null fields are left out, so a PUT clears them. */
export const profileItemOf = (
  org: { orgId: string; kind: ProfileKind },
  input: ProfileInput,
  stamp: { createdAt: string; version: number; by: ReturnType<typeof writtenBy> },
): ProfileItem => {
  const companyContact = contactItem(input.companyContact);
  const billingContact = contactItem(input.billingContact);
  const address = input.address
    ? {
        lines: input.address.lines,
        country: input.address.country,
        ...(input.address.city ? { city: input.address.city } : {}),
        ...(input.address.postalCode ? { postalCode: input.address.postalCode } : {}),
        ...(input.address.region ? { region: input.address.region } : {}),
      }
    : undefined;
  return {
    orgId: org.orgId,
    kind: org.kind,
    ...(companyContact ? { companyContact } : {}),
    ...(billingContact ? { billingContact } : {}),
    ...(input.website ? { website: input.website } : {}),
    ...(address ? { address } : {}),
    ...(org.kind === 'partner' ? { statuses: input.statuses ?? [] } : {}),
    ...(org.kind === 'channel'
      ? { partnerStatuses: input.programme?.partnerStatuses ?? [], acceptsApplications: input.programme?.acceptsApplications ?? false }
      : {}),
    createdAt: stamp.createdAt,
    updatedAt: stamp.by.at,
    version: stamp.version,
    writtenBy: stamp.by,
  };
};

/**
 * Replaces a channel's or partner's profile (a field left out is cleared).
 * `If-Match` is honoured, not required: without it the last write wins, as
 * with every other change of this API; `"0"` creates only if none exists. A
 * partner's statuses must be built in or defined by its channel. The org is
 * checked in the same transaction, so a profile never outlives its org.
 */
export const putProfile = async (
  access: AccessRequest,
  orgId: string,
  input: ProfileInput,
  ifMatch: number | null,
  actor: Actor,
): Promise<ProfileView> => {
  const [{ org }, current] = await Promise.all([authorizeOn(access, orgId), readProfile(orgId)]);
  if (!hasProfile(org.kind)) throw new ConflictError(noProfile(org.kind), { extensions: { rule: 'no-profile' } });
  const kind = org.kind;
  const expected = assertVersion(current?.version ?? 0, ifMatch);
  assertFitsKind(kind, input);
  if (kind === 'partner') await assertStatusesAllowed(org, input.statuses ?? []);
  const by = writtenBy(actor, new Date().toISOString());
  const item = profileItemOf({ orgId, kind }, input, { createdAt: current?.createdAt ?? by.at, version: expected + 1, by });
  await transact(
    () =>
      db.transaction
        .write(({ orgProfile, org: orgs }) => [
          current
            ? orgProfile
                .put(item)
                .where((attr, { eq }) => eq(attr.version, expected))
                .commit()
            : orgProfile.create(item).commit(),
          orgStillExists(orgs, orgId),
        ])
        .go(),
    (index) => (index === 1 ? orgNotFound(orgId) : changedMeanwhile('profile', ifMatch)),
  );
  return toProfileView({ orgId, kind }, item);
};

/** A channel's profile as the public application form needs it: is it open? */
export const readProgramme = async (channelId: string): Promise<Programme | null> => {
  const item = await readProfile(channelId);
  return item ? { partnerStatuses: item.partnerStatuses ?? [], acceptsApplications: item.acceptsApplications ?? false } : null;
};
