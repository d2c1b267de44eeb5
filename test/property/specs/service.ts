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
      const me = response.json as { memberships?: unknown[] } | undefined;
      const named = (orgId: string) => ({ orgId, orgName: model.org(orgId)?.name ?? null, orgKind: model.org(orgId)?.kind ?? null });
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
      });
      const expected = model
        .grantsOf(principal)
        .flatMap((grant) => (grant.kind === 'membership' ? [{ ...named(grant.orgId), role: grant.role, builtIn: grant.builtIn }] : []));
      const sort = (items: unknown[]) => items.map((item) => JSON.stringify(item, Object.keys(item as object).sort())).sort();
      if (!sameJson(sort(me?.memberships ?? []), sort(expected))) {
        mismatch(`me lists memberships ${JSON.stringify(me?.memberships)}, the model says ${JSON.stringify(expected)}`);
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
