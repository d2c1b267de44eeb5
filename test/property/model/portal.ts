import type { Access, Model, Principal } from './model.ts';
import { nameKey, type Permission } from './rules.ts';

/**
 * The client portal as the reference model sees it: requester grants, portal
 * roles, and what requesters and the MSP side may see and do. Written out by
 * hand, like rules.ts: nothing here comes from `domain/portal`.
 */

export const clientPermissions = [
  'view-company-tickets',
  'view-own-tickets',
  'create-tickets',
  'view-projects',
  'view-all-assets',
  'view-mapped-assets',
  'view-documents',
  'view-quotes-invoices',
  'approve-quotes',
] as const;
export type ClientPermission = (typeof clientPermissions)[number];

export const builtInPortalRoles: Record<string, readonly ClientPermission[]> = {
  'client-admin': [
    'view-company-tickets',
    'create-tickets',
    'view-projects',
    'view-all-assets',
    'view-documents',
    'view-quotes-invoices',
    'approve-quotes',
  ],
  approver: ['view-own-tickets', 'create-tickets', 'view-projects', 'view-quotes-invoices', 'approve-quotes'],
  requester: ['view-own-tickets', 'create-tickets', 'view-mapped-assets'],
};

/** In the order the product lists permissions (its own copy's order). */
export const ordered = (permissions: readonly string[]): ClientPermission[] => clientPermissions.filter((p) => permissions.includes(p));

export interface ModelRequester {
  userId: string;
  email: string;
  customerId: string;
  portalRole: string;
  permissions: ClientPermission[];
  version: number;
  /** Which grant this is: a new one on every add, so mappings made for an earlier one never count again. */
  link: number;
}

export interface ModelPortalRole {
  partnerId: string;
  name: string;
  permissions: ClientPermission[];
}

export interface ModelTicket {
  id: string;
  customerId: string;
  title: string;
  description: string;
  priority: string;
  category: string;
  status: 'open' | 'in_progress' | 'waiting_on_client' | 'resolved' | 'closed';
  openedBy: string;
  side: 'client' | 'msp';
  version: number;
}

export interface ModelComment {
  id: string;
  ticketId: string;
  text: string;
  authorId: string;
  side: 'client' | 'msp';
}

export interface ModelProject {
  id: string;
  customerId: string;
  name: string;
  description: string | null;
  status: string;
  progress: number;
  visibleToClient: boolean;
  version: number;
}

export interface ModelAsset {
  id: string;
  customerId: string;
  name: string;
  type: string;
  serialNumber: string | null;
  links: { userId: string; link: number }[];
  version: number;
}

export interface ModelDocument {
  id: string;
  partnerId: string;
  title: string;
  category: string;
  content: string;
  /** As stored: it counts only while that customer sits under the partner (see `effectiveShare`). */
  sharedWith: string | null;
  version: number;
}

export interface ModelQuote {
  id: string;
  customerId: string;
  title: string;
  currency: string;
  lines: { description: string; quantity: number; unitAmount: number }[];
  total: number;
  validUntil: string | null;
  status: 'open' | 'accepted' | 'declined';
  decidedBy: string | null;
  version: number;
}

/** An answer with the side it was given on, when allowed. */
export interface PortalAnswer {
  access: Access;
  side: 'msp' | 'client' | null;
}

/** What a requester's own rules say of one item. */
export type Verdict = 'allowed' | 'forbidden' | 'hidden';

const holds = (requester: ModelRequester, ...wanted: ClientPermission[]) => wanted.some((p) => requester.permissions.includes(p));

export class PortalModel {
  readonly requesters = new Map<string, ModelRequester>();
  readonly roles = new Map<string, ModelPortalRole>();
  readonly tickets = new Map<string, ModelTicket>();
  readonly comments = new Map<string, ModelComment>();
  readonly projects = new Map<string, ModelProject>();
  readonly assets = new Map<string, ModelAsset>();
  readonly documents = new Map<string, ModelDocument>();
  /** Share items by `customerId docId`: what a customer's document list reads. */
  readonly shares = new Map<string, { customerId: string; docId: string; partnerId: string }>();
  readonly quotes = new Map<string, ModelQuote>();
  private links = 0;

  constructor(private readonly model: Model) {}

  nextLink(): number {
    this.links += 1;
    return this.links;
  }

  requester(userId: string, customerId: string): ModelRequester | undefined {
    return this.requesters.get(`${userId} ${customerId}`);
  }

  requestersOf(customerId: string): ModelRequester[] {
    return [...this.requesters.values()].filter((r) => r.customerId === customerId);
  }

  /** A principal's requester grants (the model's `grantsOf` keeps to platform grants, which `decide` sees). */
  requesterGrantsOf(principal: Principal | null): ModelRequester[] {
    if (!principal?.principalId) return [];
    return [...this.requesters.values()].filter((r) => r.userId === principal.principalId);
  }

  requesterAt(principal: Principal | null, customerId: string): ModelRequester | undefined {
    return principal?.principalId ? this.requester(principal.principalId, customerId) : undefined;
  }

  /** A role by name as a customer may be given it: built-in, or its parent partner's own. */
  resolveRole(customerId: string, name: string): { name: string; permissions: ClientPermission[] } | undefined {
    const key = nameKey(name);
    const builtIn = builtInPortalRoles[key];
    if (builtIn) return { name: key, permissions: ordered(builtIn) };
    const partnerId = this.model.org(customerId)?.parentId;
    const custom = partnerId ? this.roles.get(`${partnerId} ${key}`) : undefined;
    return custom ? { name: custom.name, permissions: custom.permissions } : undefined;
  }

  rolesOf(partnerId: string): ModelPortalRole[] {
    return [...this.roles.values()].filter((role) => role.partnerId === partnerId);
  }

  /**
   * A call on a customer named in the path: the MSP side by the platform
   * rule, else a requester grant there carrying any of `wanted` (`any`: any
   * requester); a requester without is refused (403), anyone else as the
   * platform rule says.
   */
  onCustomer(
    principal: Principal | null,
    orgId: string,
    permission: Permission,
    wanted: readonly ClientPermission[] | 'any',
  ): PortalAnswer {
    if (!this.model.org(orgId)) return { access: 'missing', side: null };
    const staff = this.model.access(principal, orgId, permission);
    if (staff === 'allowed') return { access: 'allowed', side: 'msp' };
    const requester = this.requesterAt(principal, orgId);
    if (requester && (wanted === 'any' || holds(requester, ...wanted))) return { access: 'allowed', side: 'client' };
    if (requester) return { access: 'forbidden', side: null };
    return { access: staff, side: null };
  }

  /**
   * A call on one item of a customer (found by reading the item): the
   * requester's own verdict settles it when it allows; else the MSP side by
   * the platform rule; else a requester is refused by its verdict (403) or
   * told nothing (404), and anyone else as the platform rule says, with out of
   * scope (or a customer gone) answering as a missing item.
   */
  onItem(
    principal: Principal | null,
    customerId: string,
    permission: Permission,
    verdict: (requester: ModelRequester) => Verdict,
  ): PortalAnswer {
    const requester = this.requesterAt(principal, customerId);
    const own = requester ? verdict(requester) : 'hidden';
    if (requester && own === 'allowed') return { access: 'allowed', side: 'client' };
    const staff = this.model.org(customerId) ? this.model.access(principal, customerId, permission) : 'missing';
    if (staff === 'allowed') return { access: 'allowed', side: 'msp' };
    if (requester) return { access: own === 'forbidden' ? 'forbidden' : 'hidden', side: null };
    return { access: staff === 'missing' ? 'hidden' : staff, side: null };
  }

  sees(requester: ModelRequester, ticket: ModelTicket): boolean {
    return holds(requester, 'view-company-tickets') || (holds(requester, 'view-own-tickets') && ticket.openedBy === requester.userId);
  }

  seesAsset(requester: ModelRequester, asset: ModelAsset): boolean {
    return (
      holds(requester, 'view-all-assets') ||
      (holds(requester, 'view-mapped-assets') && asset.links.some((l) => l.userId === requester.userId && l.link === requester.link))
    );
  }

  holds(requester: ModelRequester, ...wanted: ClientPermission[]): boolean {
    return holds(requester, ...wanted);
  }

  /** The customer a document is shared with, while it still sits under the document's partner. */
  effectiveShare(doc: ModelDocument): string | null {
    const customer = doc.sharedWith;
    return customer && this.model.org(customer) && this.model.lineage(customer).includes(doc.partnerId) ? customer : null;
  }

  /**
   * Who may act on a document: its partner's side with the permission; for
   * reading, also the customer it is shared with (requesters with
   * view-documents, its MSP side with portal:read), who are refused changes
   * (403). Otherwise 403 for those in sight of the partner or the customer,
   * 404 for everyone else.
   */
  onDocument(principal: Principal | null, doc: ModelDocument, permission: Permission, mode: 'read' | 'change'): PortalAnswer {
    if (!this.model.org(doc.partnerId)) return { access: 'hidden', side: null };
    const byPartner = this.model.access(principal, doc.partnerId, permission);
    if (byPartner === 'allowed') return { access: 'allowed', side: 'msp' };
    const shared = this.effectiveShare(doc);
    const requester = shared ? this.requesterAt(principal, shared) : undefined;
    const byCustomer = shared ? this.model.access(principal, shared, 'portal:read') : null;
    const readable = (requester !== undefined && holds(requester, 'view-documents')) || byCustomer === 'allowed';
    if (readable && mode === 'read') return { access: 'allowed', side: 'client' };
    if (readable || requester) return { access: 'forbidden', side: null };
    if (byPartner === 'forbidden' || byPartner === 'restricted') return { access: byPartner, side: null };
    if (byCustomer === 'forbidden' || byCustomer === 'restricted') return { access: byCustomer, side: null };
    return { access: 'hidden', side: null };
  }

  /** The counters the summary item must hold for a customer, from the items themselves. */
  counters(customerId: string): Record<string, number> {
    const tickets = [...this.tickets.values()].filter((t) => t.customerId === customerId);
    const projects = [...this.projects.values()].filter((p) => p.customerId === customerId && p.status === 'active');
    const count = (status: ModelTicket['status']) => tickets.filter((t) => t.status === status).length;
    return {
      ticketsOpen: count('open'),
      ticketsInProgress: count('in_progress'),
      ticketsWaitingOnClient: count('waiting_on_client'),
      ticketsResolved: count('resolved'),
      ticketsClosed: count('closed'),
      projectsActive: projects.length,
      projectsActiveVisible: projects.filter((p) => p.visibleToClient).length,
      assets: [...this.assets.values()].filter((a) => a.customerId === customerId).length,
      quotesOpen: [...this.quotes.values()].filter((q) => q.customerId === customerId && q.status === 'open').length,
      // Issued and not yet paid or voided (billing keeps the counter in the same transactions).
      unpaidInvoices: [...this.model.invoices.values()].filter((i) => i.customerId === customerId && i.status === 'issued').length,
    };
  }

  /** Documents counted for a customer: its share items by partners it still sits under. */
  documentCount(customerId: string): number {
    const lineage = this.model.lineage(customerId);
    return [...this.shares.values()].filter((s) => s.customerId === customerId && lineage.includes(s.partnerId)).length;
  }

  /** A customer's org is deleted: its requester grants go with it, as memberships do. */
  forgetCustomer(orgId: string): void {
    for (const requester of this.requestersOf(orgId)) this.requesters.delete(`${requester.userId} ${orgId}`);
  }
}
