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

export type Access = 'missing' | 'hidden' | 'forbidden' | 'allowed';

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
    const lineage = this.lineage(orgId);
    return this.grantsOf(principal)
      .filter((grant) => this.reaches(grant, orgId))
      .sort((a, b) => lineage.indexOf(a.orgId) - lineage.indexOf(b.orgId));
  }

  /** The four answers of the authorization rule: no such org, out of scope, in scope without the permission, allowed. */
  access(principal: Principal | null, orgId: string, permission: Permission): Access {
    if (!this.orgs.has(orgId)) return 'missing';
    const covering = this.covering(principal, orgId);
    if (covering.length === 0) return 'hidden';
    return covering.some((grant) => roleCarries(grant.role, permission)) ? 'allowed' : 'forbidden';
  }

  /** Everything the principal's grants hold at an org, together. */
  permissionsAt(principal: Principal | null, orgId: string): Set<string> {
    return new Set(this.covering(principal, orgId).flatMap((grant) => roleTable[grant.role].permissions));
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
      partnerAccess: true,
      version: org.version,
    };
  }

  /** Every user id the model knows. */
  userIds(): string[] {
    return [...this.userIdByEmail.values()];
  }
}
