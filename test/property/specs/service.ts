import { routes } from '#functions/http/routes';
import { roleNames, roleTable } from '../model/rules.ts';
import { expectFields, mismatch, type RouteSpec, sameJson } from '../spec.ts';

const noRequest = () => ({ params: {} });

export const getHealth: RouteSpec = {
  weight: 1,
  build: noRequest,
  allowed: () => ({ statuses: [200], accept: (response) => expectFields('health', response.json, { status: 'ok' }) }),
};

export const getOpenApi: RouteSpec = {
  weight: 1,
  build: noRequest,
  allowed: () => ({
    statuses: [200],
    accept: (response) => {
      const paths = Object.keys((response.json as { paths?: object } | undefined)?.paths ?? {});
      const missing = routes.filter((route) => !paths.includes(route.path)).map((route) => route.path);
      if (missing.length > 0) mismatch(`the OpenAPI document lacks ${missing.join(', ')}`);
    },
  }),
};

export const getMe: RouteSpec = {
  weight: 4,
  build: noRequest,
  allowed: (ctx) => ({
    statuses: [200],
    accept: (response) => {
      const { model, principal } = ctx;
      const me = response.json as { memberships?: unknown[]; delegated?: unknown[] } | undefined;
      const named = (orgId: string) => ({ orgId, orgName: model.org(orgId)?.name ?? null, orgKind: model.org(orgId)?.kind ?? null });
      if (principal?.kind === 'api-key') {
        // A key is nobody: no user, no memberships, just the key itself with its org and role.
        const key = model.apiKeys.get(principal.principalId);
        expectFields('me', me, {
          userId: null,
          email: null,
          principalType: 'api-key',
          memberships: [],
          delegated: [],
          impersonation: null,
          apiKey: key ? { id: key.keyId, ...named(key.orgId), role: key.role } : null,
        });
        return;
      }
      if (principal?.kind === 'impersonation') {
        // The token's session, whatever its impersonator may still do (that is judged where it acts).
        const session = model.sessions.get(principal.principalId);
        if (!session) return mismatch(`the model has no session ${principal.principalId}`);
        expectFields('me', me, {
          userId: session.impersonatorId,
          email: null,
          principalType: 'impersonation',
          memberships: [],
          delegated: [],
          apiKey: null,
          impersonation: {
            ...named(session.customerId),
            id: session.id,
            impersonatorId: session.impersonatorId,
            actingRole: 'customer-admin',
            endsAt: session.endsAt,
          },
        });
        return;
      }
      expectFields('me', me, {
        userId: principal?.principalId || null,
        email: principal?.email ?? null,
        principalType: 'user',
        impersonation: null,
        apiKey: null,
      });
      const grants = model.grantsOf(principal);
      const expected = grants.flatMap((grant) =>
        grant.kind === 'membership' ? [{ ...named(grant.orgId), role: grant.role, builtIn: grant.builtIn }] : [],
      );
      // External admin grants, and service accounts the caller reaches now (assignments that grant nothing are not listed).
      const delegated = grants.flatMap((grant): Record<string, unknown>[] =>
        grant.kind === 'external-admin'
          ? [
              {
                ...named(grant.orgId),
                kind: 'external-admin',
                role: grant.role,
                serviceId: null,
                expiresAt: new Date(grant.expiresAt * 1000).toISOString(),
              },
            ]
          : grant.kind === 'service' && model.reaches(grant, grant.orgId)
            ? [{ ...named(grant.orgId), kind: 'service', role: grant.role, serviceId: grant.serviceId, expiresAt: null }]
            : [],
      );
      const sort = (items: unknown[]) => items.map((item) => JSON.stringify(item, Object.keys(item as object).sort())).sort();
      if (!sameJson(sort(me?.memberships ?? []), sort(expected))) {
        mismatch(`me lists memberships ${JSON.stringify(me?.memberships)}, the model says ${JSON.stringify(expected)}`);
      }
      if (!sameJson(sort(me?.delegated ?? []), sort(delegated))) {
        mismatch(`me lists delegated access ${JSON.stringify(me?.delegated)}, the model says ${JSON.stringify(delegated)}`);
      }
    },
  }),
};

export const listRoles: RouteSpec = {
  weight: 1,
  build: noRequest,
  allowed: () => ({
    statuses: [200],
    accept: (response) => {
      const items = ((response.json as { items?: unknown } | undefined)?.items ?? []) as {
        name: string;
        permissions: string[];
        assignableAt: string[];
      }[];
      const listed = items.map((role) => role.name).sort();
      if (!sameJson(listed, [...roleNames].sort())) mismatch(`roles are ${listed.join(', ')}`);
      for (const role of items) {
        const row = roleTable[role.name as keyof typeof roleTable];
        if (!sameJson([...role.permissions].sort(), [...row.permissions].sort())) {
          mismatch(`${role.name} carries ${role.permissions.join(', ')}; the model's table says ${row.permissions.join(', ')}`);
        }
        if (!sameJson([...role.assignableAt].sort(), [...row.assignableAt].sort())) {
          mismatch(`${role.name} is assignable at ${role.assignableAt.join(', ')}; the model says ${row.assignableAt.join(', ')}`);
        }
      }
    },
  }),
};
