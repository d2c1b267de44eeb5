import { admittedGrants } from '../access/decide.ts';
import type { Grant } from '../access/grants.ts';
import type { Permission } from '../access/permissions.ts';
import { type RoleName, roleOf } from '../access/roles.ts';
import type { OrgItem } from '../orgs/org.entity.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.ts';

/**
 * A service's grant reaches each account alone, never below it: a role that
 * shapes the hierarchy (creates, moves or deletes orgs) would make orgs its
 * holder cannot see or reach, so it cannot be a service's role.
 */
const hierarchyPermissions: readonly Permission[] = ['org:create', 'org:move', 'org:delete'];

export const isServiceRole = (role: RoleName): boolean => !roleOf(role).permissions.some((p) => hierarchyPermissions.includes(p));

export const assertServiceRole = (role: RoleName): void => {
  if (!isServiceRole(role)) {
    throw new ValidationError(
      `A service reaches its accounts alone: ${role} creates, moves or deletes orgs, so it cannot be a service's role`,
      {
        errors: [{ path: 'body.role', message: 'must not carry org:create, org:move or org:delete' }],
      },
    );
  }
};

export const serviceRule = (message: string, name: string, extensions: Record<string, unknown> = {}) =>
  new ConflictError(message, { extensions: { rule: name, ...extensions } });

const permissionsAt = (grants: readonly Grant[], org: OrgItem): Set<Permission> =>
  new Set(admittedGrants(grants, org).flatMap((grant) => roleOf(grant.role).permissions));

/**
 * The checks on accounts an owner shares, in the order the API answers them
 * (a field error, then a permission refusal, then a rule): the service's role
 * must be one that can be held at each account's kind; the caller must hold
 * every permission of that role at the owner and at each account (nobody
 * shares more than they hold; a customer that switched partner access off
 * admits nothing from above, so it cannot be shared); every account must be
 * a direct child of the owner and not the provider itself.
 */
export const assertMayShare = (input: {
  grants: readonly Grant[];
  owner: OrgItem;
  providerOrgId: string;
  role: RoleName;
  accountIds: readonly string[];
  orgs: ReadonlyMap<string, OrgItem>;
  /** The body field that named the accounts, for the field errors. */
  field: string;
}): void => {
  const { grants, owner, role, accountIds, orgs, field } = input;
  const definition = roleOf(role);
  const children = accountIds.flatMap((id) => {
    const org = orgs.get(id);
    return org && org.parentId === owner.orgId ? [org] : [];
  });
  const misfits = children.filter((org) => !definition.assignableAt.includes(org.kind));
  if (misfits.length > 0) {
    throw new ValidationError(
      `The service’s role ${role} cannot be held at ${misfits.map((org) => `${org.orgId} (a ${org.kind})`).join(', ')}`,
      {
        errors: misfits.map((org) => ({ path: field, message: `${org.orgId} is a ${org.kind}, where ${role} cannot be held` })),
      },
    );
  }
  for (const org of [owner, ...children]) {
    const held = permissionsAt(grants, org);
    const missing = definition.permissions.filter((permission) => !held.has(permission));
    if (missing.length > 0) {
      throw new ForbiddenError(
        `You cannot share ${org.orgId} with the role ${role}: it carries ${missing.join(', ')}, which you do not hold there`,
        { extensions: { rule: 'no-escalation' } },
      );
    }
  }
  if (owner.kind === 'customer') throw serviceRule('A customer has no accounts to share', 'customers-cannot-own');
  const strangers = accountIds.filter((id) => !children.some((org) => org.orgId === id));
  if (strangers.length > 0) {
    throw serviceRule(`Only direct children of ${owner.orgId} can be its accounts: ${strangers.join(', ')}`, 'not-owner-children', {
      accountIds: strangers,
    });
  }
  if (accountIds.includes(input.providerOrgId)) {
    throw serviceRule('The provider cannot be one of the accounts it serves', 'provider-as-account', { accountIds: [input.providerOrgId] });
  }
};
