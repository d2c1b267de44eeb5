import type { ModelBillingEvent, ModelInvoice, ModelPriceBook } from './billing.ts';
import { PortalModel } from './portal.ts';
import { type Kind, nameKey, type Permission, type Role, roleCarries, roleTable, type SubscriptionState } from './rules.ts';

/**
 * A small reference model of the platform: the orgs, the grants, and who may
 * see and do what. Deliberately naive: paths are walked parent by parent and
 * compared id by id, lists are filtered out of plain maps, nothing is indexed.
 */

export interface ModelOrg {
  id: string;
  kind: Kind;
  name: string;
  parentId: string | null;
  status: 'active' | 'suspended';
  customerType: 'standard' | 'internal' | 'nfr' | null;
  subscription: SubscriptionState | null;
  /** False once the customer's own admins switched partner access off. */
  partnerAccess: boolean;
  version: number;
}

export interface ModelMembership {
  userId: string;
  email: string;
  orgId: string;
  role: Role;
  builtIn: boolean;
  version: number;
}

/**
 * Who a request acts as, once the authorizer has resolved the credentials:
 * a user (`principalId` is the user id, or '' for a verified email nobody has
 * invited), a partner's API key (`principalId` is the key id; keys have no
 * email), or an impersonation session (`principalId` is the session id).
 */
export type Principal =
  | { kind: 'user'; principalId: string; email: string }
  | { kind: 'api-key'; principalId: string; email?: undefined }
  | { kind: 'impersonation'; principalId: string; impersonatorId: string; email: '' };

/** A partner integration's API key, as the model keeps it. */
export interface ModelApiKey {
  keyId: string;
  orgId: string;
  name: string;
  role: Role;
  /** ISO 8601, or null for a key that lives until revoked. */
  expiresAt: string | null;
  /** The person who created it. */
  createdBy: string | null;
  version: number;
}

/** A user of another org administering one customer until `expiresAt` (epoch seconds). */
export interface ModelExternalAdmin {
  userId: string;
  email: string;
  orgId: string;
  role: Role;
  expiresAt: number;
  version: number;
}

/** A "Login As" session as the model holds it, with the token its start answered. */
export interface ModelSession {
  id: string;
  customerId: string;
  impersonatorId: string;
  impersonatorEmail: string;
  reason: string;
  ticket: string | null;
  startedAt: string;
  endsAt: string;
  /** Set when ended before `endsAt`: exactly, when the model knows the time (a replacement), else `'unknown'`. */
  endedAt: string | null;
  endReason: 'ended' | 'replaced' | 'partner-access-off' | null;
  /** The customer's lineage when it started: the orgs whose lists carry it. */
  listedUnder: string[];
  token: string;
  version: number;
}

/** The role every session acts with. */
export const sessionRole: Role = 'customer-admin';

/**
 * A grant as the model sees it: memberships, API keys (held by a partner org,
 * reaching its subtree like a membership held there), external admins (one
 * customer, until they expire) and an impersonation session's one grant (its
 * customer, while it runs and its impersonator may still impersonate there).
 * and a service assignment (one account of a service, while the account is in
 * it and the assignment's membership of the provider lives). Each kind has its
 * own `reaches`; the partner-access restriction is `admitted` (only
 * memberships held at the org itself get in).
 */
export type ModelGrant =
  | { kind: 'membership'; orgId: string; role: Role; builtIn: boolean }
  | { kind: 'external-admin'; orgId: string; role: Role; expiresAt: number }
  | { kind: 'api-key'; orgId: string; role: Role; keyId: string }
  | { kind: 'impersonation'; orgId: string; role: Role; sessionId: string; impersonatorId: string; endsAt: string }
  /** A provider user assigned to one account of a service: reaches that account alone, while it is still in the service and still a direct child of the service's owner. */
  | { kind: 'service'; orgId: string; role: Role; serviceId: string };

/** A service relationship: an owner shares accounts (direct children) with a provider partner, with one role. */
export interface ModelService {
  id: string;
  ownerOrgId: string;
  providerOrgId: string;
  name: string;
  role: Role;
  status: 'active' | 'ending' | 'ended';
  version: number;
  /** The accounts in the service now (each under a link of its own in the product). */
  accounts: Set<string>;
}

/** A provider user assigned to an account of a service. */
export interface ModelAssignment {
  serviceId: string;
  accountId: string;
  userId: string;
  email: string;
  /**
   * The user's membership of the provider it was made under. It holds only while
   * that very membership lives: removed, or removed and invited again, and it is dead.
   */
  membership: ModelMembership;
}

export const assignmentKey = (serviceId: string, accountId: string, userId: string) => `${serviceId} ${accountId} ${userId}`;

/**
 * The answers of the authorization rule: no such org, out of scope (404), in
 * scope without the permission (403), stopped by a customer's partner-access
 * restriction (403 with its own problem type), allowed, or allowed to read
 * only the restricted summary (a restricted customer read from above).
 */
export type Access = 'missing' | 'hidden' | 'forbidden' | 'restricted' | 'summary' | 'allowed';

/** The roles that administer an org (built-in ones count toward the restriction's safeguard). */
export const adminRoles: readonly Role[] = ['platform-admin', 'channel-admin', 'partner-admin', 'customer-admin'];

/** What crosses a restriction from above: the commercial relationship. */
const crossing: readonly Permission[] = ['org:read', 'billing:read', 'billing:write'];

/** A successful create kept under its Idempotency-Key. */
export interface IdempotentRecord {
  routeId: string;
  fingerprint: string;
  status: number;
  body: unknown;
  /** The request as first sent, so a later call can repeat it exactly. */
  request: { params: Record<string, string>; body?: unknown; headers?: Record<string, string> };
}

export const membershipKey = (userId: string, orgId: string) => `${userId} ${orgId}`;

/** An external admin's grant holds until its expiry, to the second. */
export const isLive = (grant: { expiresAt: number }, now: number = Date.now()): boolean => grant.expiresAt * 1000 > now;
/** A channel's or partner's profile as last written (the schema's normalised values), see business.ts. */
export interface ModelProfile {
  kind: 'channel' | 'partner';
  fields: Record<string, unknown>;
  version: number;
}

/** A partner's or customer's configuration; `inheritedFrom` while a customer's is still its partner's copy. */
export interface ModelConfig {
  inboundIps: string[];
  outboundIps: string[];
  smarthost: { host: string; port: number | null } | null;
  inheritedFrom: { orgId: string; version: number } | null;
  version: number;
}

/** A programme application: addressed to a channel, pending until approved (with the partner it made) or rejected. */
export interface ModelApplication {
  id: string;
  channelId: string;
  company: string;
  contactName: string;
  contactEmail: string;
  country: string;
  website: string | null;
  submittedAt: string;
  status: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  partnerId: string | null;
  partnerAdminId: string | null;
  decidedBy: string | null;
  version: number;
}

export class Model {
  readonly orgs = new Map<string, ModelOrg>();
  readonly memberships = new Map<string, ModelMembership>();
  /** External admins by `membershipKey(userId, orgId)`, expired ones too (the table keeps them until TTL). */
  readonly externalAdmins = new Map<string, ModelExternalAdmin>();
  readonly userIdByEmail = new Map<string, string>();
  /** Ids that existed once: deleted orgs are good targets. */
  readonly goneOrgIds = new Set<string>();
  /** Paths orgs held before a move or a deletion (audit entries keep the path of their time); see `pathsHeld`. */
  private readonly pastPaths = new Map<string, Set<string>>();
  /** Successful creates by (principal, Idempotency-Key). */
  readonly idempotency = new Map<string, IdempotentRecord>();
  /** List cursors the API handed out, with the list they belong to. */
  readonly cursors: { binding: string; cursor: string }[] = [];
  /** Live API keys (expired ones included, until revoked), by key id. */
  readonly apiKeys = new Map<string, ModelApiKey>();
  /** The secret of every key ever created, revoked ones included: callers keep using them. */
  readonly keySecrets = new Map<string, string>();
  /** Profiles (channels, partners) and configurations (partners, customers) by org id; applications by id. */
  readonly profiles = new Map<string, ModelProfile>();
  readonly configs = new Map<string, ModelConfig>();
  readonly applications = new Map<string, ModelApplication>();
  /** Every impersonation session, running or not. */
  readonly sessions = new Map<string, ModelSession>();
  /** The client portal: requester grants (which reach no org) and what they see (portal.ts). */
  readonly portal = new PortalModel(this);
  readonly services = new Map<string, ModelService>();
  /** By `assignmentKey`; dead ones too (their items stay in the table until their account leaves the service). */
  readonly assignments = new Map<string, ModelAssignment>();
  /** Partners' price books (a deleted partner's stays), invoices by id, each issuer's last number, customers' billing events in order. */
  readonly priceBooks = new Map<string, ModelPriceBook>();
  readonly invoices = new Map<string, ModelInvoice>();
  readonly invoiceCounters = new Map<string, number>();
  readonly billingEvents = new Map<string, ModelBillingEvent[]>();

  constructor(readonly rootId: string) {}

  org(id: string): ModelOrg | undefined {
    return this.orgs.get(id);
  }

  /** Ids from the root down to `id`, walking parents; empty for an unknown org. */
  lineage(id: string): string[] {
    const ids: string[] = [];
    let current = this.orgs.get(id);
    while (current) {
      ids.unshift(current.id);
      current = current.parentId === null ? undefined : this.orgs.get(current.parentId);
    }
    return ids;
  }

  pathOf(id: string): string {
    return `/${this.lineage(id).join('/')}`;
  }

  /** Call before an org moves or is deleted: it and its subtree leave their paths. */
  notePaths(id: string): void {
    for (const orgId of [id, ...this.descendants(id).map((org) => org.id)]) {
      const held = this.pastPaths.get(orgId) ?? new Set<string>();
      held.add(this.pathOf(orgId));
      this.pastPaths.set(orgId, held);
    }
  }

  /** Every path an org has held: its current one and those noted (a path changes only by a move). */
  pathsHeld(id: string): ReadonlySet<string> {
    const held = new Set(this.pastPaths.get(id));
    if (this.orgs.has(id)) held.add(this.pathOf(id));
    return held;
  }

  depthOf(id: string): number {
    return this.lineage(id).length;
  }

  /** True when `ancestorId` is `id` or above it, comparing whole ids. */
  isAncestorOrSelf(ancestorId: string, id: string): boolean {
    return this.lineage(id).includes(ancestorId);
  }

  children(id: string): ModelOrg[] {
    return [...this.orgs.values()].filter((org) => org.parentId === id);
  }

  /** Every org strictly below `id`. */
  descendants(id: string): ModelOrg[] {
    return [...this.orgs.values()].filter((org) => org.id !== id && this.isAncestorOrSelf(id, org.id));
  }

  membersOf(orgId: string): ModelMembership[] {
    return [...this.memberships.values()].filter((m) => m.orgId === orgId);
  }

  membership(userId: string, orgId: string): ModelMembership | undefined {
    return this.memberships.get(membershipKey(userId, orgId));
  }

  /** The keys an org holds. */
  keysOf(orgId: string): ModelApiKey[] {
    return [...this.apiKeys.values()].filter((key) => key.orgId === orgId);
  }

  /** Whether a key works at all now: it exists and has not expired. */
  keyWorks(keyId: string, now: number = Date.now()): boolean {
    const key = this.apiKeys.get(keyId);
    return key !== undefined && (key.expiresAt === null || Date.parse(key.expiresAt) > now);
  }

  /**
   * The principal's live grants: an API key's own; a session's one grant while
   * it runs (an ended or expired session's token is refused before any grant
   * counts); a user's memberships, then external admins that have not expired.
   */
  grantsOf(principal: Principal | null): ModelGrant[] {
    if (!principal?.principalId) return [];
    if (principal.kind === 'api-key') {
      const key = this.apiKeys.get(principal.principalId);
      return key && this.keyWorks(key.keyId) ? [{ kind: 'api-key', orgId: key.orgId, role: key.role, keyId: key.keyId }] : [];
    }
    if (principal.kind === 'impersonation') {
      const session = this.sessions.get(principal.principalId);
      return session && this.isRunning(session)
        ? [
            {
              kind: 'impersonation',
              orgId: session.customerId,
              role: sessionRole,
              sessionId: session.id,
              impersonatorId: session.impersonatorId,
              endsAt: session.endsAt,
            },
          ]
        : [];
    }
    const memberships: ModelGrant[] = [...this.memberships.values()]
      .filter((m) => m.userId === principal.principalId)
      .map((m) => ({ kind: 'membership', orgId: m.orgId, role: m.role, builtIn: m.builtIn }));
    const external: ModelGrant[] = [...this.externalAdmins.values()]
      .filter((grant) => grant.userId === principal.principalId && isLive(grant))
      .map((grant) => ({ kind: 'external-admin', orgId: grant.orgId, role: grant.role, expiresAt: grant.expiresAt }));
    // Assignments whose membership of the provider still lives, in the order the user's partition holds them.
    const assigned: ModelGrant[] = [...this.assignments.values()]
      .filter((a) => a.userId === principal.principalId && this.membershipLives(a))
      .sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : a.accountId < b.accountId ? -1 : 1))
      .flatMap((a) => {
        const service = this.services.get(a.serviceId);
        return service ? [{ kind: 'service' as const, orgId: a.accountId, role: service.role, serviceId: a.serviceId }] : [];
      });
    return [...memberships, ...external, ...assigned];
  }

  /**
   * Whether a grant applies to an org: a membership or an API key covers the
   * org it is held at and everything below; an external admin its one
   * customer, until it expires; a session its customer alone, while it runs
   * and while its impersonator still holds `impersonate` there (the
   * restriction aside: it stops the session, not its reach); a service
   * assignment its account alone, while the account is in the service and
   * directly under its owner. `lineage` is the org's path, root first: today's
   * unless another is named (an audit entry's recorded one).
   */
  reaches(grant: ModelGrant, orgId: string, lineage: readonly string[] = this.lineage(orgId)): boolean {
    switch (grant.kind) {
      case 'membership':
      case 'api-key':
        return lineage.includes(grant.orgId);
      case 'external-admin':
        return grant.orgId === orgId && isLive(grant);
      case 'impersonation': {
        const session = this.sessions.get(grant.sessionId);
        return grant.orgId === orgId && session !== undefined && this.isRunning(session) && this.impersonatorHolds(session);
      }
      case 'service': {
        const service = this.services.get(grant.serviceId);
        return grant.orgId === orgId && service?.accounts.has(orgId) === true && lineage.at(-2) === service.ownerOrgId;
      }
    }
  }

  /** Neither ended nor past its end. */
  isRunning(session: ModelSession, now: number = Date.now()): boolean {
    return session.endedAt === null && Date.parse(session.endsAt) > now;
  }

  /**
   * The impersonator still carries `impersonate` on the session's customer
   * through a grant of their own that reaches it (in practice a membership
   * there or above: no customer role carries `impersonate`).
   */
  impersonatorHolds(session: ModelSession): boolean {
    const impersonator: Principal = { kind: 'user', principalId: session.impersonatorId, email: '' };
    return this.grantsOf(impersonator).some((grant) => roleCarries(grant.role, 'impersonate') && this.reaches(grant, session.customerId));
  }

  /** Who a session's token is once the authorizer verified it: nobody once past its end (the token expires with it). */
  sessionPrincipal(sessionId: string, now: number = Date.now()): Principal | null {
    const session = this.sessions.get(sessionId);
    if (!session || Date.parse(session.endsAt) <= now) return null;
    return { kind: 'impersonation', principalId: session.id, impersonatorId: session.impersonatorId, email: '' };
  }

  /** A session principal whose session was ended early: every call that reads the caller's grants is a 401. */
  sessionEnded(principal: Principal | null): boolean {
    if (principal?.kind !== 'impersonation') return false;
    const session = this.sessions.get(principal.principalId);
    return !session || !this.isRunning(session);
  }

  /**
   * A running session used on its own customer after its impersonator lost
   * `impersonate` there: the authorization answers 401 (`session-ended`), not
   * the 404 an org out of reach gets.
   */
  sessionLostOn(principal: Principal | null, orgId: string): boolean {
    if (principal?.kind !== 'impersonation') return false;
    const session = this.sessions.get(principal.principalId);
    return (
      session !== undefined &&
      session.customerId === orgId &&
      this.orgs.has(orgId) &&
      this.isRunning(session) &&
      !this.impersonatorHolds(session)
    );
  }

  /** Ends every running session of a customer (its partner access was switched off), at a time the model does not know. */
  endSessionsOf(customerId: string, reason: 'partner-access-off'): ModelSession[] {
    const ending = this.runningSessionsOf(customerId);
    for (const session of ending) {
      session.endedAt = 'unknown';
      session.endReason = reason;
      session.version += 1;
    }
    return ending;
  }

  /**
   * A session started: the starter's running sessions in the same customer
   * end (`replaced`) at its start; it is listed under the customer's lineage.
   * Returns the ids of those it replaced.
   */
  recordStart(session: Omit<ModelSession, 'listedUnder' | 'endedAt' | 'endReason' | 'version'>): string[] {
    const replaced = this.runningSessionsOf(session.customerId).filter((other) => other.impersonatorId === session.impersonatorId);
    for (const other of replaced) {
      other.endedAt = session.startedAt;
      other.endReason = 'replaced';
      other.version += 1;
    }
    this.sessions.set(session.id, {
      ...session,
      endedAt: null,
      endReason: null,
      listedUnder: this.lineage(session.customerId),
      version: 1,
    });
    return replaced.map((other) => other.id);
  }

  /** The email of a user the model knows. */
  emailOf(userId: string): string | undefined {
    return [...this.userIdByEmail].find(([, id]) => id === userId)?.[0];
  }

  /** Sessions running in a customer, oldest first (the order the product reads them in). */
  runningSessionsOf(customerId: string): ModelSession[] {
    return [...this.sessions.values()]
      .filter((session) => session.customerId === customerId && this.isRunning(session))
      .sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1));
  }

  /** The live external admins of an org, by user id. */
  externalAdminsOf(orgId: string): ModelExternalAdmin[] {
    return [...this.externalAdmins.values()]
      .filter((grant) => grant.orgId === orgId && isLive(grant))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  externalAdmin(userId: string, orgId: string): ModelExternalAdmin | undefined {
    return this.externalAdmins.get(membershipKey(userId, orgId));
  }

  /** An account its service's users reach: still in the service, and still an org directly under the owner. */
  accountActive(service: ModelService, accountId: string): boolean {
    return service.accounts.has(accountId) && this.orgs.get(accountId)?.parentId === service.ownerOrgId;
  }

  /** The assignment's user is still the very member of the provider it was made for. */
  membershipLives(assignment: ModelAssignment): boolean {
    const service = this.services.get(assignment.serviceId);
    return service !== undefined && this.memberships.get(membershipKey(assignment.userId, service.providerOrgId)) === assignment.membership;
  }

  /** An assignment that grants something (and so is listed and counted). */
  assignmentLives(assignment: ModelAssignment): boolean {
    const service = this.services.get(assignment.serviceId);
    return service !== undefined && this.accountActive(service, assignment.accountId) && this.membershipLives(assignment);
  }

  assignmentsOf(serviceId: string, accountId?: string): ModelAssignment[] {
    return [...this.assignments.values()].filter(
      (a) => a.serviceId === serviceId && (accountId === undefined || a.accountId === accountId),
    );
  }

  /** Whether the principal may see a service at all: it holds `service:read` or `service:write` on its owner or its provider. */
  seesService(principal: Principal | null, service: ModelService): boolean {
    return [service.ownerOrgId, service.providerOrgId].some((orgId) =>
      (['service:read', 'service:write'] as const).some((permission) => this.access(principal, orgId, permission) === 'allowed'),
    );
  }

  /** The grants that reach an org, nearest the root first. */
  covering(principal: Principal | null, orgId: string): ModelGrant[] {
    return this.reaching(this.grantsOf(principal), orgId);
  }

  /** Of these grants, those that reach an org, nearest the root first. */
  reaching(grants: readonly ModelGrant[], orgId: string): ModelGrant[] {
    const lineage = this.lineage(orgId);
    return grants.filter((grant) => this.reaches(grant, orgId)).sort((a, b) => lineage.indexOf(a.orgId) - lineage.indexOf(b.orgId));
  }

  /** Whether a grant is the org's own (a membership held there): the only kind a restricted customer admits. */
  isOwn(grant: ModelGrant, orgId: string): boolean {
    return grant.kind === 'membership' && grant.orgId === orgId;
  }

  /** The grants that get in: all covering ones, or only the org's own while its partner access is off. */
  admitted(principal: Principal | null, orgId: string): ModelGrant[] {
    return this.admittedOf(this.covering(principal, orgId), orgId);
  }

  private admittedOf(covering: ModelGrant[], orgId: string): ModelGrant[] {
    return this.orgs.get(orgId)?.partnerAccess === false ? covering.filter((grant) => this.isOwn(grant, orgId)) : covering;
  }

  /** The authorization rule's answer for a principal, an org and a permission (see `Access`). */
  access(principal: Principal | null, orgId: string, permission: Permission): Access {
    return this.accessThrough(this.grantsOf(principal), orgId, permission);
  }

  /** The grant the rule names as allowing, if any: an admitted one nearest the root, else one crossing the restriction. */
  allowingGrant(grants: readonly ModelGrant[], orgId: string, permission: Permission): ModelGrant | undefined {
    const covering = this.reaching(grants, orgId);
    const admitted = this.admittedOf(covering, orgId);
    return (
      admitted.find((grant) => roleCarries(grant.role, permission)) ??
      (this.orgs.get(orgId)?.partnerAccess === false ? covering.find((grant) => this.crosses(grant, orgId, permission)) : undefined)
    );
  }

  private crosses(grant: ModelGrant, orgId: string, permission: Permission): boolean {
    return (
      (grant.kind === 'membership' || grant.kind === 'api-key') &&
      grant.orgId !== orgId &&
      crossing.includes(permission) &&
      roleCarries(grant.role, permission)
    );
  }

  /** The rule's answer for an arbitrary set of grants (a subject's, or a principal's minus one being removed). */
  accessThrough(grants: readonly ModelGrant[], orgId: string, permission: Permission): Access {
    const org = this.orgs.get(orgId);
    if (!org) return 'missing';
    const covering = this.reaching(grants, orgId);
    if (covering.length === 0) return 'hidden';
    const admitted = this.admittedOf(covering, orgId);
    if (admitted.some((grant) => roleCarries(grant.role, permission))) return 'allowed';
    if (org.partnerAccess) return 'forbidden';
    if (covering.some((grant) => this.crosses(grant, orgId, permission))) return permission === 'org:read' ? 'summary' : 'allowed';
    return admitted.length === 0 ? 'restricted' : 'forbidden';
  }

  /**
   * The rule's answer for an invoice, which concerns two parties: its issuer
   * (and those above it) may read and change it, its customer's side (those
   * reaching the customer now, its own people included) may only read it.
   * Refused: the customer's side's own refusal if it sees the customer, else
   * the issuer's, else out of sight.
   */
  invoiceAccess(principal: Principal | null, invoice: ModelInvoice, permission: Permission): Access {
    const onIssuer = this.access(principal, invoice.issuerId, permission);
    if (onIssuer === 'allowed') return 'allowed';
    const onCustomer = this.access(principal, invoice.customerId, permission);
    if (onCustomer === 'allowed') return permission === 'billing:read' ? 'allowed' : 'forbidden';
    if (onCustomer === 'forbidden' || onCustomer === 'restricted') return onCustomer;
    if (onIssuer === 'forbidden' || onIssuer === 'restricted') return onIssuer;
    return 'hidden';
  }

  /** Everything the principal's admitted grants hold at an org, together. */
  permissionsAt(principal: Principal | null, orgId: string): Set<string> {
    return new Set(this.admitted(principal, orgId).flatMap((grant) => roleTable[grant.role].permissions));
  }

  /** Built-in administrators held at an org. */
  builtInAdmins(orgId: string): number {
    return this.membersOf(orgId).filter((m) => m.builtIn && adminRoles.includes(m.role)).length;
  }

  /**
   * The orgs the principal can see at all: those its grants reach, the customers where it is a requester,
   * a session's customer (its token names it in its own claims), and those a service it can see names (its
   * owner, its provider, its accounts: what the owner chose to share with the provider, and the provider the
   * owner chose).
   */
  visible(principal: Principal | null): Set<string> {
    const requesterOf = new Set(this.portal.requesterGrantsOf(principal).map((grant) => grant.customerId));
    const seen = new Set([...this.orgs.keys()].filter((id) => this.covering(principal, id).length > 0 || requesterOf.has(id)));
    if (principal?.kind === 'impersonation') {
      const session = this.sessions.get(principal.principalId);
      if (session) seen.add(session.customerId);
    }
    for (const service of this.services.values()) {
      if (!this.seesService(principal, service)) continue;
      for (const id of [service.ownerOrgId, service.providerOrgId, ...service.accounts]) seen.add(id);
    }
    return seen;
  }

  /** A sibling of `parentId` (other than `exceptId`) already named like `name`. */
  nameTaken(parentId: string, name: string, exceptId?: string): boolean {
    const key = nameKey(name);
    return this.children(parentId).some((org) => org.id !== exceptId && nameKey(org.name) === key);
  }

  /** How many levels the subtree of `id` spans below it. */
  heightOf(id: string): number {
    const depth = this.depthOf(id);
    return Math.max(0, ...this.descendants(id).map((org) => this.depthOf(org.id) - depth));
  }

  /** The org as `GET /v1/orgs/{id}` shows it, minus the timestamps. */
  viewOf(id: string): Record<string, unknown> {
    const org = this.orgs.get(id);
    if (!org) throw new Error(`model has no org ${id}`);
    return {
      id: org.id,
      kind: org.kind,
      name: org.name,
      status: org.status,
      path: this.pathOf(id),
      parentId: org.parentId,
      depth: this.depthOf(id),
      customerType: org.customerType,
      partnerAccess: org.partnerAccess,
      version: org.version,
    };
  }

  /** The org as this principal may read it: whole, or the restricted summary of a customer read from above. */
  viewFor(principal: Principal | null, id: string): Record<string, unknown> {
    const org = this.orgs.get(id);
    if (!org) throw new Error(`model has no org ${id}`);
    if (this.access(principal, id, 'org:read') !== 'summary') return this.viewOf(id);
    return { id: org.id, kind: org.kind, name: org.name, status: org.status, partnerAccess: false, restricted: true };
  }

  /** Every user id the model knows. */
  userIds(): string[] {
    return [...this.userIdByEmail.values()];
  }
}
