import type { OrgKind } from '#domain/orgs/kinds';
import { type Permission, permissions } from './permissions.ts';

/**
 * Built-in roles. A role held at an org applies to that org's whole subtree.
 * `assignableAt` keeps a role where it makes sense (nobody is a channel admin
 * of a customer), and assignment also refuses any role carrying a permission
 * the assigner does not hold there, so no one can grant more than they have.
 */
export interface Role {
  name: RoleName;
  description: string;
  permissions: readonly Permission[];
  assignableAt: readonly OrgKind[];
}

export const roleNames = [
  'platform-admin',
  'channel-admin',
  'partner-admin',
  'partner-technician',
  'billing-admin',
  'customer-admin',
  'customer-user',
  'read-only',
] as const;

export type RoleName = (typeof roleNames)[number];

const all = permissions;
const except = (...excluded: Permission[]): Permission[] => all.filter((p) => !excluded.includes(p));

const roleList: Role[] = [
  {
    name: 'platform-admin',
    description: 'Operates the whole platform.',
    permissions: all,
    assignableAt: ['platform'],
  },
  {
    name: 'channel-admin',
    description: 'Runs a channel (distributor): its partners, their customers and the programme.',
    permissions: all,
    assignableAt: ['channel'],
  },
  {
    name: 'partner-admin',
    description: 'The MSP administrator: its organisation, sub-resellers, customers, configuration and keys.',
    permissions: except('price-book:write', 'application:read', 'application:write'),
    assignableAt: ['partner'],
  },
  {
    name: 'partner-technician',
    description: 'A support engineer of the MSP: reads the hierarchy, works tickets, may log in as a customer.',
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
  {
    name: 'billing-admin',
    description: 'Keeps the books: invoices, subscriptions and prices.',
    permissions: ['org:read', 'billing:read', 'billing:write', 'price-book:read', 'profile:read'],
    assignableAt: ['platform', 'channel', 'partner', 'customer'],
  },
  {
    name: 'customer-admin',
    description: "Administers a customer: its people, external admins and its partner's access.",
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
  {
    name: 'customer-user',
    description: "A customer's own person: reads its organisation and uses the portal.",
    permissions: ['org:read', 'portal:read', 'portal:write'],
    assignableAt: ['customer'],
  },
  {
    name: 'read-only',
    description: 'Sees everything in its subtree and changes nothing.',
    permissions: ['org:read', 'member:read', 'access:read', 'audit:read', 'service:read', 'profile:read', 'config:read', 'portal:read'],
    assignableAt: ['platform', 'channel', 'partner', 'customer'],
  },
];

export const roles: ReadonlyMap<RoleName, Role> = new Map(roleList.map((role) => [role.name, role]));

export const roleOf = (name: RoleName): Role => {
  const role = roles.get(name);
  if (!role) throw new Error(`Unknown role ${name}`);
  return role;
};

export const roleGrants = (name: RoleName, permission: Permission): boolean => roleOf(name).permissions.includes(permission);
