/**
 * What a customer's own people (requesters) may do in the client portal.
 * These are the portal's own permissions, never platform permissions: a
 * requester grant carries a set of them and `decide` never sees it. The MSP
 * side of the portal acts with the platform permissions `portal:read` and
 * `portal:write` instead (see authorize-portal.ts).
 */
export const clientPermissions = [
  /** Every ticket of the company. */
  'view-company-tickets',
  /** The tickets the requester opened. */
  'view-own-tickets',
  /** Open tickets, edit one's own while still open, and take part in the conversation on tickets one sees. */
  'create-tickets',
  /** Projects the MSP flagged "show to client". */
  'view-projects',
  /** Every asset of the company. */
  'view-all-assets',
  /** The assets mapped to the requester. */
  'view-mapped-assets',
  /** The IT documents shared with the company. */
  'view-documents',
  /** Quotes and invoices. */
  'view-quotes-invoices',
  /** Accept or decline quotes (and see the quotes to decide on). */
  'approve-quotes',
] as const;

export type ClientPermission = (typeof clientPermissions)[number];

export interface BuiltInPortalRole {
  name: string;
  description: string;
  permissions: readonly ClientPermission[];
}

/**
 * The built-in portal roles. A partner adds its own as named permission sets
 * (portal-roles.ts); a role's permissions are copied onto each requester
 * grant when assigned, which is sound because a portal role cannot be
 * changed once created (the API has no way to).
 */
export const builtInPortalRoles: readonly BuiltInPortalRole[] = [
  {
    name: 'client-admin',
    description:
      'Sees everything the portal shows of the company: all tickets, projects, assets, documents, quotes and invoices; approves quotes.',
    permissions: [
      'view-company-tickets',
      'create-tickets',
      'view-projects',
      'view-all-assets',
      'view-documents',
      'view-quotes-invoices',
      'approve-quotes',
    ],
  },
  {
    name: 'approver',
    description: 'Decides on quotes: sees quotes, invoices and projects, and its own tickets.',
    permissions: ['view-own-tickets', 'create-tickets', 'view-projects', 'view-quotes-invoices', 'approve-quotes'],
  },
  {
    name: 'requester',
    description: 'Opens and follows its own tickets and sees the assets mapped to it.',
    permissions: ['view-own-tickets', 'create-tickets', 'view-mapped-assets'],
  },
];

/** Role names compare case- and space-insensitively, like org names. */
export const portalRoleKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export const builtInPortalRole = (name: string): BuiltInPortalRole | undefined =>
  builtInPortalRoles.find((role) => role.name === portalRoleKey(name));

/** Whether a set of client permissions holds any of `wanted`. */
export const holdsAny = (held: readonly string[], wanted: readonly ClientPermission[]): boolean =>
  wanted.some((permission) => held.includes(permission));
