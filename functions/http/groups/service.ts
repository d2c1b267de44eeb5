import { describeMe } from '#domain/access/me';
import { roles } from '#domain/access/roles';
import { defineGroup } from '../group.ts';
import { apiVersion, buildOpenApiDocument } from '../openapi.ts';
import { ok } from '../reply.ts';
import { groups } from '../routes.ts';

let openApiDocument: unknown;

export const handler = defineGroup(groups.service, {
  getHealth: async () => ok({ status: 'ok', version: apiVersion }),
  getOpenApi: async () => {
    openApiDocument ??= buildOpenApiDocument();
    return ok(openApiDocument);
  },
  getMe: async ({ caller }) => ok(await describeMe(caller)),
  listRoles: async () =>
    ok({
      items: [...roles.values()].map((role) => ({
        name: role.name,
        description: role.description,
        permissions: [...role.permissions],
        assignableAt: [...role.assignableAt],
      })),
    }),
});
