import type { HttpMethod, RouteDef } from '#functions/http/route-table-types';

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; pathParameters: Record<string, string> | null }
  | { kind: 'method-not-allowed'; allow: HttpMethod[] }
  | { kind: 'not-found' };

type Segment = { literal: string } | { param: string };

/** One API Gateway resource: a path template and the methods defined on it. */
interface Resource {
  template: string;
  segments: Segment[];
  methods: Map<string, RouteDef>;
}

const parseTemplate = (template: string): Segment[] =>
  template
    .split('/')
    .slice(1)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part)?.[1];
      if (param) return { param };
      // Greedy `{proxy+}` and partial segments like `v{n}` are not in the route table; refuse them rather than half-support them.
      if (part.includes('{') || part.includes('}') || part === '') throw new Error(`Unsupported path template ${template}`);
      return { literal: part };
    });

const isLiteral = (segment: Segment | undefined): boolean => segment !== undefined && 'literal' in segment;

/** Literal segments beat parameters, leftmost first, as in API Gateway: `/orgs/{id}/access/explain` is never `{id}`. */
const bySpecificity = (a: Resource, b: Resource): number => {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const aLiteral = isLiteral(a.segments[i]);
    if (aLiteral !== isLiteral(b.segments[i])) return aLiteral ? -1 : 1;
  }
  return 0;
};

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

const matchSegments = (segments: Segment[], parts: string[]): Record<string, string> | undefined => {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const value = decode(parts[i] ?? '');
    if (value === undefined || value === '') return undefined;
    if ('literal' in segment) {
      if (value !== segment.literal) return undefined;
    } else {
      params[segment.param] = value;
    }
  }
  return params;
};

/**
 * Compiles the route table into the matcher the local API Gateway uses: the
 * most specific resource whose template matches the path wins, then the
 * method decides between the route, a 405 (with the methods it does take)
 * and, for a path no resource matches, a 404.
 */
export const createRouteMatcher = (routes: readonly RouteDef[]) => {
  const resources = new Map<string, Resource>();
  for (const route of routes) {
    const resource: Resource = resources.get(route.path) ?? {
      template: route.path,
      segments: parseTemplate(route.path),
      methods: new Map(),
    };
    if (resource.methods.has(route.method)) throw new Error(`Route table defines ${route.method} ${route.path} twice`);
    resource.methods.set(route.method, route);
    resources.set(route.path, resource);
  }
  const ordered = [...resources.values()].sort(bySpecificity);

  return (method: string, path: string): RouteMatch => {
    // API Gateway treats `/v1/health/` as `/v1/health`.
    const parts = path
      .replace(/(?<=.)\/$/, '')
      .split('/')
      .slice(1);
    for (const resource of ordered) {
      const params = matchSegments(resource.segments, parts);
      if (!params) continue;
      const route = resource.methods.get(method);
      if (!route) return { kind: 'method-not-allowed', allow: [...resource.methods.keys()] as HttpMethod[] };
      return { kind: 'found', route, pathParameters: Object.keys(params).length > 0 ? params : null };
    }
    return { kind: 'not-found' };
  };
};

export type RouteMatcher = ReturnType<typeof createRouteMatcher>;
