import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { createConversions } from 'electrodb';
import { documentClient } from '../db/client.ts';
import { ApiKeyEntity } from '../delegation/api-key.entity.ts';
import { ExternalAdminEntity } from '../delegation/external-admin.entity.ts';
import { ImpersonationEntity } from '../delegation/impersonation.entity.ts';
import { maxSessionMinutes } from '../delegation/partner-access.ts';
import {
  byServiceLink,
  parseServiceLink,
  ServiceAssignmentEntity,
  type ServiceAssignmentItem,
} from '../delegation/service-assignment.entity.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { OrgPath } from '../orgs/org-path.ts';
import { impersonationRole, type PrincipalType } from './caller.ts';
import { reaches } from './decide.ts';
import { type Grant, loadGrants } from './grants.ts';
import { MembershipEntity } from './membership.entity.ts';

/**
 * Who holds a grant that may reach an org, read per place a grant can be held
 * (a "source"): the members and the API keys of the org and of each ancestor,
 * the org's external administrators, the assignments to it of each service it
 * is an account of, and the impersonation sessions running in it. Each source
 * is one Query per page on an index that already exists, so every source of
 * an org can be read in one parallel round once the org (its path and service
 * links) is known.
 */

/** One grant and who holds it. */
export interface AccessHolder {
  principalType: PrincipalType;
  /** `usr_…`, `key_…` or `imp_…`. */
  principalId: string;
  /** The user's email; for a session, its impersonator's; none for an API key. */
  email: string | null;
  grant: Grant;
  /** A cursor that resumes this holder's source right after it. */
  after: string;
}

export interface SourcePage {
  holders: AccessHolder[];
  /** Null once the source has been read to its end. */
  cursor: string | null;
}

export interface AccessSource {
  /** Names the source in list cursors; stable while the org keeps its path and links. */
  key: string;
  /** The org the source's grants are held at (its visibility decides whether they may be named). */
  heldAt: string;
  read: (cursor: string | null, limit: number) => Promise<SourcePage>;
  /** Counts what `read` would list, without reading it (memberships and API keys, the only grants held above an org). */
  count?: () => Promise<number>;
}

const memberCursor = createConversions(MembershipEntity).byAccessPattern.membersOfOrg.fromComposite;
const keyCursor = createConversions(ApiKeyEntity).byAccessPattern.keysOfOrg.fromComposite;
const externalAdminCursor = createConversions(ExternalAdminEntity).byAccessPattern.externalAdminsOfOrg.fromComposite;
const assignmentCursor = createConversions(ServiceAssignmentEntity).byAccessPattern.assignmentsOfService.fromComposite;
const sessionCursor = createConversions(ImpersonationEntity).byAccessPattern.sessionsOfCustomer.fromComposite;

/** How many items a Query holds, with `Select: COUNT`: no item leaves the table. Beyond 1 MB read it pages, rarely. */
const countItems = async (params: object): Promise<number> => {
  let total = 0;
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await documentClient.send(
      new QueryCommand({ ...(params as QueryCommandInput), Select: 'COUNT', ExclusiveStartKey: start }),
    );
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
};

const membersAt = (orgId: string): AccessSource => ({
  key: `m/${orgId}`,
  heldAt: orgId,
  read: async (cursor, limit) => {
    const page = await MembershipEntity.query.membersOfOrg({ orgId }).go({ cursor, limit });
    return {
      cursor: page.cursor,
      holders: page.data.map((item) => ({
        principalType: 'user',
        principalId: item.userId,
        email: item.email,
        grant: { kind: 'membership', orgId, role: item.role, builtIn: item.builtIn },
        after: memberCursor.toCursor({ orgId, userId: item.userId }),
      })),
    };
  },
  count: () => countItems(MembershipEntity.query.membersOfOrg({ orgId }).params()),
});

/** A key past its `validUntil` no longer gets past the authorizer. */
const keysQuery = (orgId: string, now: number) =>
  ApiKeyEntity.query
    .keysOfOrg({ orgId })
    .where((attr, { notExists, gt }) => `${notExists(attr.validUntil)} OR ${gt(attr.validUntil, new Date(now).toISOString())}`);

const keysAt = (orgId: string, now: number): AccessSource => ({
  key: `k/${orgId}`,
  heldAt: orgId,
  read: async (cursor, limit) => {
    const page = await keysQuery(orgId, now).go({ cursor, limit });
    return {
      cursor: page.cursor,
      holders: page.data.map((item) => ({
        principalType: 'api-key',
        principalId: item.keyId,
        email: null,
        grant: { kind: 'api-key', orgId, role: item.role, keyId: item.keyId },
        after: keyCursor.toCursor({ orgId, keyId: item.keyId }),
      })),
    };
  },
  count: () => countItems(keysQuery(orgId, now).params()),
});

const externalAdminsOf = (orgId: string, now: number): AccessSource => ({
  key: 'x',
  heldAt: orgId,
  read: async (cursor, limit) => {
    const page = await ExternalAdminEntity.query
      .externalAdminsOfOrg({ orgId })
      .where((attr, { gt }) => gt(attr.expiresAt, Math.floor(now / 1000)))
      .go({ cursor, limit });
    return {
      cursor: page.cursor,
      holders: page.data.map((item) => ({
        principalType: 'user',
        principalId: item.userId,
        email: item.email,
        grant: { kind: 'external-admin', orgId, role: item.role, expiresAt: item.expiresAt },
        after: externalAdminCursor.toCursor({ orgId, userId: item.userId }),
      })),
    };
  },
});

/**
 * The assignments whose membership of the provider still lives (the one they
 * were made under: not removed, nor removed and made again). One BatchGet of
 * those memberships, only when the page holds assignments.
 */
const livingAssignments = async (items: readonly ServiceAssignmentItem[]): Promise<Set<ServiceAssignmentItem>> => {
  if (items.length === 0) return new Set();
  const keys = [...new Map(items.map((item) => [`${item.userId} ${item.providerOrgId}`, item])).values()];
  const { data } = await MembershipEntity.get(keys.map((item) => ({ userId: item.userId, orgId: item.providerOrgId }))).go();
  const since = new Map(data.map((membership) => [`${membership.userId} ${membership.orgId}`, membership.createdAt]));
  return new Set(items.filter((item) => since.get(`${item.userId} ${item.providerOrgId}`) === item.memberSince));
};

/** Assignments to the account through one live link; leftovers of an earlier link grant nothing and are skipped. */
const assignmentsTo = (accountId: string, link: string): AccessSource => {
  const { serviceId, linkId } = parseServiceLink(link);
  return {
    key: `s/${link}`,
    heldAt: accountId,
    read: async (cursor, limit) => {
      const page = await ServiceAssignmentEntity.query
        .assignmentsOfService({ serviceId, accountId })
        .where((attr, { eq }) => eq(attr.linkId, linkId))
        .go({ cursor, limit });
      const living = await livingAssignments(page.data);
      return {
        cursor: page.cursor,
        // An assignment whose user has since left the provider (or left and came back) grants nothing: not a holder.
        holders: page.data
          .filter((item) => living.has(item))
          .map((item) => ({
            principalType: 'user',
            principalId: item.userId,
            email: item.email,
            grant: { kind: 'service', orgId: accountId, role: item.role, serviceId, linkId, ownerOrgId: item.ownerOrgId },
            after: assignmentCursor.toCursor({ serviceId, accountId, userId: item.userId }),
          })),
      };
    },
  };
};

/** Sessions last an hour at most, so only those started within the hour can be running. */
const sessionsIn = (customerId: string, now: number): AccessSource => ({
  key: 'i',
  heldAt: customerId,
  read: async (cursor, limit) => {
    const since = new Date(now - maxSessionMinutes * 60_000).toISOString();
    const page = await ImpersonationEntity.query
      .sessionsOfCustomer({ customerId })
      .gte({ startedAt: since })
      .where((attr, { notExists, gt }) => `${notExists(attr.endedAt)} AND ${gt(attr.endsAt, new Date(now).toISOString())}`)
      .go({ cursor, limit });
    return {
      cursor: page.cursor,
      holders: page.data.map((item) => ({
        principalType: 'impersonation',
        principalId: item.impersonationId,
        email: item.impersonatorEmail,
        grant: {
          kind: 'impersonation',
          orgId: customerId,
          role: impersonationRole,
          impersonationId: item.impersonationId,
          impersonatorId: item.impersonatorId,
          endsAt: item.endsAt,
          ended: false,
          // Filled in by `withImpersonators` before anyone asks whether the session reaches.
          impersonatorGrants: [],
        },
        after: sessionCursor.toCursor({ customerId, startedAt: item.startedAt, impersonationId: item.impersonationId }),
      })),
    };
  },
});

/**
 * Every source of grants that may reach the org, in listing order: down the
 * path, the members then the API keys of each org; then, held at the org
 * itself, its external administrators (customers only), the assignments of
 * each service it is an account of, and its impersonation sessions
 * (customers only). Nothing else can hold those, so nothing else is read.
 */
export const accessSourcesOf = (org: OrgItem, now: number = Date.now()): AccessSource[] => {
  const customer = org.kind === 'customer';
  return [
    ...OrgPath.ids(org.path).flatMap((orgId) => [membersAt(orgId), keysAt(orgId, now)]),
    ...(customer ? [externalAdminsOf(org.orgId, now)] : []),
    ...[...(org.serviceLinks ?? [])].sort(byServiceLink).map((link) => assignmentsTo(org.orgId, link)),
    ...(customer ? [sessionsIn(org.orgId, now)] : []),
  ];
};

/**
 * A session reaches only while its impersonator still carries `impersonate`
 * there: their grants are read (one Query per impersonator, in one round,
 * and only when a session is running) and attached to the session's grant.
 */
export const withImpersonators = async (holders: readonly AccessHolder[]): Promise<void> => {
  const sessions = holders.flatMap((holder) => (holder.grant.kind === 'impersonation' ? [holder.grant] : []));
  const impersonators = [...new Set(sessions.map((session) => session.impersonatorId))];
  const grants = await Promise.all(impersonators.map((userId) => loadGrants({ principalId: userId, principalType: 'user' })));
  const byId = new Map(impersonators.map((userId, index) => [userId, grants[index] ?? []]));
  for (const session of sessions) session.impersonatorGrants = byId.get(session.impersonatorId) ?? [];
};

/** The holders whose grant reaches the org now (an expired, ended or orphaned grant does not). */
export const reachingHolders = (holders: readonly AccessHolder[], org: OrgItem, now: number = Date.now()): AccessHolder[] =>
  holders.filter((holder) => reaches(holder.grant, org, now));

/** A source read to its end, page after page (dry runs only: listings read one page). */
export const readAll = async (source: AccessSource): Promise<AccessHolder[]> => {
  const holders: AccessHolder[] = [];
  let cursor: string | null = null;
  do {
    const page: SourcePage = await source.read(cursor, 100);
    holders.push(...page.holders);
    cursor = page.cursor;
  } while (cursor);
  return holders;
};
