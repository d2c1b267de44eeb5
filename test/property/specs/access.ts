import { expectedAccess } from '../model/access.ts';
import { listBinding, mismatch, type ParsedCall, pickListQuery, pickOrgId, type RouteSpec, sameJson, stableJson } from '../spec.ts';
import { walkPages } from './lists.ts';

const orgIdOf = (call: ParsedCall) => call.params.orgId as string;

/**
 * `GET …/access`: every grant the model knows that reaches the org, in the
 * listing's order, each as the asker may see it (grants held above its
 * sight counted in `heldAboveScope`, never named), and the grants a
 * restriction stops marked as such.
 */
export const listAccess: RouteSpec = {
  weight: 5,
  build: (ctx, pick) => ({
    params: { orgId: pickOrgId(ctx, pick) },
    query: pickListQuery(ctx.model, pick, false),
    walk: pick.chance(50),
  }),
  cursorBinding: (call) => listBinding('access', orgIdOf(call), {}),
  allowed: (ctx, call) => {
    const orgId = orgIdOf(call);
    const expected = expectedAccess(ctx.model, ctx.principal, orgId);
    return {
      statuses: [200],
      accept: async (response, tools) => {
        const held = (response.json as { heldAboveScope?: unknown } | undefined)?.heldAboveScope;
        if (!sameJson(held, expected.heldAboveScope)) {
          mismatch(`heldAboveScope is ${JSON.stringify(held)}, the model says ${JSON.stringify(expected.heldAboveScope)}`);
        }
        const walked = await walkPages(response, tools, listBinding('access', orgId, {}), call.walk);
        const lines = walked.items.map(stableJson);
        const expectedLines = expected.items.map(stableJson);
        if (new Set(lines).size !== lines.length) mismatch(`the access listing of ${orgId} lists a grant twice`);
        for (const line of lines)
          if (!expectedLines.includes(line)) mismatch(`the access listing of ${orgId} lists ${line}, the model does not`);
        if (walked.complete && call.query.cursor === undefined && lines.join('\n') !== expectedLines.join('\n')) {
          mismatch(`the access listing of ${orgId} is\n  ${lines.join('\n  ')}\nthe model says\n  ${expectedLines.join('\n  ')}`);
        }
      },
    };
  },
};
