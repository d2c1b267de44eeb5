import type { ModelBillingEvent, ModelInvoice, ModelPriceBook } from './billing.ts';
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
 * Who a request acts as, once the authorizer has resolved the token:
 * `principalId` is the user id, or '' for a verified email nobody has invited.
 * (API keys and impersonation sessions become principals of their own kind.)
 */
export interface Principal {
  kind: 'user';
  principalId: string;
  email: string;
}

/**
 * A grant as the model sees it. Only memberships exist so far. Each later kind
 * (external admin, service assignment, impersonation, API key) is one more
 * member of this union with its own `reaches`, and the partner-access
 * restriction is one more condition in `Model.reaches`.
 */
export type ModelGrant = { kind: 'membership'; orgId: string; role: Role; builtIn: boolean };

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

export class Model {
  readonly orgs = new Map<string, ModelOrg>();
  readonly memberships = new Map<string, ModelMembership>();
  readonly userIdByEmail = new Map<string, string>();
  /** Ids that existed once: deleted orgs are good targets. */
  readonly goneOrgIds = new Set<string>();
  /** Successful creates by (principal, Idempotency-Key). */
  readonly idempotency = new Map<string, IdempotentRecord>();
  /** List cursors the API handed out, with the list they belong to. */
  readonly cursors: { binding: string; cursor: string }[] = [];
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

  grantsOf(principal: Principal | null): ModelGrant[] {
    if (!principal?.principalId) return [];
    return [...this.memberships.values()]
      .filter((m) => m.userId === principal.principalId)
      .map((m) => ({ kind: 'membership', orgId: m.orgId, role: m.role, builtIn: m.builtIn }));
  }

  /** Whether a grant applies to an org: a membership covers the org it is held at and everything below. */
  reaches(grant: ModelGrant, orgId: string): boolean {
    return this.isAncestorOrSelf(grant.orgId, orgId);
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
    return grant.kind === 'membership' && grant.orgId !== orgId && crossing.includes(permission) && roleCarries(grant.role, permission);
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

  /** The orgs the principal can see at all. */
  visible(principal: Principal | null): Set<string> {
    return new Set([...this.orgs.keys()].filter((id) => this.covering(principal, id).length > 0));
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
