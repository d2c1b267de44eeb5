import type { AccessRequest } from '../access/authorize.ts';
import { authorizeOn } from '../access/authorize.ts';
import type { Actor } from '../access/caller.ts';
import { isConditionalCheckFailure } from '../db/transact.ts';
import { writtenBy } from '../db/written-by.ts';
import { defaultLimit, type Page } from '../orgs/org-lists.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { builtInPortalRole, builtInPortalRoles, type ClientPermission, clientPermissions, portalRoleKey } from './client-permissions.ts';
import { PortalRoleEntity, type PortalRoleItem } from './portal-role.entity.ts';

export interface PortalRoleView {
  name: string;
  builtIn: boolean;
  description: string | null;
  permissions: ClientPermission[];
}

const ordered = (permissions: readonly string[]): ClientPermission[] => clientPermissions.filter((p) => permissions.includes(p));

export const builtInRoleViews = (): PortalRoleView[] =>
  builtInPortalRoles.map((role) => ({
    name: role.name,
    builtIn: true,
    description: role.description,
    permissions: ordered(role.permissions),
  }));

const toView = (item: PortalRoleItem): PortalRoleView => ({
  name: item.name,
  builtIn: false,
  description: null,
  permissions: ordered(item.permissions),
});

export interface PortalRolePage extends Page<PortalRoleView> {
  /** The built-in roles, on every page: every partner's requesters may hold them. */
  builtIn: PortalRoleView[];
}

/**
 * The portal roles an org's customers may be given: the built-in ones, and
 * a page of the org's own (a partner's) custom roles by name, read with one
 * Query alongside the authorization round.
 */
export const listPortalRoles = async (
  access: AccessRequest,
  orgId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<PortalRolePage> => {
  const binding = JSON.stringify(['portal-roles', orgId]);
  const state = query.cursor ? decodeCursor<{ k: string }>(query.cursor, binding) : null;
  const [, page] = await Promise.all([
    authorizeOn(access, orgId),
    PortalRoleEntity.query.byPartner({ partnerId: orgId }).go({ cursor: state?.k ?? null, limit: query.limit ?? defaultLimit }),
  ]);
  return {
    builtIn: builtInRoleViews(),
    items: page.data.map(toView),
    nextCursor: page.cursor ? encodeCursor({ k: page.cursor }, binding) : null,
  };
};

export interface NewPortalRole {
  name: string;
  permissions: ClientPermission[];
}

/**
 * Defines a partner's own portal role, a named set of client permissions.
 * Names are unique per partner (case- and space-insensitively) and may not
 * be a built-in role's. A role never changes once created.
 */
export const createPortalRole = async (
  access: AccessRequest,
  orgId: string,
  input: NewPortalRole,
  actor: Actor,
): Promise<PortalRoleView> => {
  const { org } = await authorizeOn(access, orgId);
  if (org.kind !== 'partner') {
    throw new ConflictError('Portal roles are defined by partners, for their customers', { extensions: { rule: 'partners-only' } });
  }
  if (builtInPortalRole(input.name)) {
    throw new ConflictError(`${input.name} is a built-in portal role`, { extensions: { rule: 'built-in-role' } });
  }
  const now = new Date().toISOString();
  const item: PortalRoleItem = {
    partnerId: orgId,
    nameKey: portalRoleKey(input.name),
    name: input.name,
    permissions: ordered(input.permissions),
    createdAt: now,
    version: 1,
    writtenBy: writtenBy(actor, now),
  };
  try {
    await PortalRoleEntity.create(item).go();
  } catch (error) {
    if (isConditionalCheckFailure(error)) {
      throw new ConflictError(`A portal role named ${input.name} already exists here`, { extensions: { rule: 'role-exists' } });
    }
    throw error;
  }
  return toView(item);
};

/**
 * A role by name as a customer may be given it: a built-in one, or one its
 * partner (the customer's parent) defined. Unknown names are a field error.
 */
export const resolvePortalRole = async (partnerId: string, name: string): Promise<{ name: string; permissions: ClientPermission[] }> => {
  const builtIn = builtInPortalRole(name);
  if (builtIn) return { name: builtIn.name, permissions: ordered(builtIn.permissions) };
  const { data } = await PortalRoleEntity.get({ partnerId, nameKey: portalRoleKey(name) }).go();
  if (!data) {
    throw new ValidationError(`There is no portal role ${name} for this customer`, {
      errors: [{ path: 'body.portalRole', message: 'no such portal role: a built-in one, or one this customer’s partner defined' }],
    });
  }
  return { name: data.name, permissions: ordered(data.permissions) };
};
