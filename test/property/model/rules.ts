/**
 * The reference model's own copy of the rules, written out by hand on
 * purpose: nothing here is imported from `domain/`, so a slip in roles.ts or
 * kinds.ts shows up as a disagreement instead of being copied into the oracle.
 * A deliberate change to a role is made in both places.
 */

export const permissions = [
  'org:read',
  'org:update',
  'org:create',
  'org:delete',
  'org:move',
  'member:read',
  'member:write',
  'access:read',
  'audit:read',
  'billing:read',
  'billing:write',
  'impersonate',
  'partner-access:write',
  'external-admin:read',
  'external-admin:write',
  'service:read',
  'service:write',
  'profile:read',
  'profile:write',
  'config:read',
  'config:write',
  'price-book:read',
  'price-book:write',
  'api-key:read',
  'api-key:write',
  'application:read',
  'application:write',
  'portal:read',
  'portal:write',
] as const;
export type Permission = (typeof permissions)[number];

export const kinds = ['platform', 'channel', 'partner', 'customer'] as const;
export type Kind = (typeof kinds)[number];

interface RoleRow {
  permissions: readonly Permission[];
  assignableAt: readonly Kind[];
}

/** Who may do what: each role's permissions, listed in full. */
export const roleTable = {
  'platform-admin': { permissions, assignableAt: ['platform'] },
  'channel-admin': { permissions, assignableAt: ['channel'] },
  'partner-admin': {
    permissions: [
      'org:read',
      'org:update',
      'org:create',
      'org:delete',
      'org:move',
      'member:read',
      'member:write',
      'access:read',
      'audit:read',
      'billing:read',
      'billing:write',
      'impersonate',
      'partner-access:write',
      'external-admin:read',
      'external-admin:write',
      'service:read',
      'service:write',
      'profile:read',
      'profile:write',
      'config:read',
      'config:write',
      'price-book:read',
      'api-key:read',
      'api-key:write',
      'portal:read',
      'portal:write',
    ],
    assignableAt: ['partner'],
  },
  'partner-technician': {
    permissions: [
      'org:read',
      'member:read',
      'access:read',
      'audit:read',
      'impersonate',
      'service:read',
      'profile:read',
      'config:read',
      'portal:read',
      'portal:write',
    ],
    assignableAt: ['partner'],
  },
  'billing-admin': {
    permissions: ['org:read', 'billing:read', 'billing:write', 'price-book:read', 'profile:read'],
    assignableAt: ['platform', 'channel', 'partner', 'customer'],
  },
  'customer-admin': {
    permissions: [
      'org:read',
      'org:update',
      'member:read',
      'member:write',
      'access:read',
      'audit:read',
      'billing:read',
      'partner-access:write',
      'external-admin:read',
      'external-admin:write',
      'service:read',
      'service:write',
      'portal:read',
      'portal:write',
    ],
    assignableAt: ['customer'],
  },
  'customer-user': { permissions: ['org:read', 'portal:read', 'portal:write'], assignableAt: ['customer'] },
  'read-only': {
    permissions: ['org:read', 'member:read', 'access:read', 'audit:read', 'service:read', 'profile:read', 'config:read', 'portal:read'],
    assignableAt: ['platform', 'channel', 'partner', 'customer'],
  },
} as const satisfies Record<string, RoleRow>;

export type Role = keyof typeof roleTable;
export const roleNames = Object.keys(roleTable) as Role[];

export const roleCarries = (role: Role, permission: string): boolean =>
  (roleTable[role].permissions as readonly string[]).includes(permission);

/** A service's grant reaches its accounts alone: its role may not create, move or delete orgs. */
export const isServiceRole = (role: Role): boolean =>
  !(['org:create', 'org:move', 'org:delete'] as const).some((permission) => roleCarries(role, permission));

/** Which kind may sit directly under which (a partner may hold sub-reseller partners). */
export const childKinds: Record<Kind, readonly Kind[]> = {
  platform: ['channel'],
  channel: ['partner'],
  partner: ['partner', 'customer'],
  customer: [],
};

/** The root is depth 1; no path holds more ids. */
export const maxDepth = 8;

export const statuses = ['active', 'suspended'] as const;
export const customerTypes = ['standard', 'internal', 'nfr'] as const;
export const subscriptionStates = ['trial', 'active', 'past_due', 'suspended', 'cancelled'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

export const subscriptionMoves: Record<SubscriptionState, readonly SubscriptionState[]> = {
  trial: ['active', 'cancelled'],
  active: ['past_due', 'suspended', 'cancelled'],
  past_due: ['active', 'suspended', 'cancelled'],
  suspended: ['active', 'cancelled'],
  cancelled: [],
};

/** Sibling names compare case- and space-insensitively. */
export const nameKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
