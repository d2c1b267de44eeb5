/** A demo user as the banner lists it; the seed's users have this shape. */
export interface BannerUser {
  email: string;
  role: string;
  orgId: string;
  orgName: string;
}

/** A customer's person in the client portal, with its portal role there. */
export interface BannerRequester {
  email: string;
  portalRole: string;
  orgId: string;
  orgName: string;
}

export interface BannerInput {
  url: string;
  endpoint: string;
  tableName: string;
  dataDir?: string;
  /** Everyone who can sign in, platform administrator first. */
  users: BannerUser[];
  /** The client portal's demo people (requesters), when seeded. */
  requesters?: BannerRequester[];
}

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

/** The call sequence a newcomer pastes first: a token, then who am I, then one org seen three ways. */
const sampleCalls = (url: string, user: BannerUser): string[] => {
  const auth = `-H "authorization: Bearer $TOKEN"`;
  return [
    `TOKEN=$(curl -s -X POST ${url}/local/token -H 'content-type: application/json' \\`,
    `  -d '{"email":"${user.email}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
    `curl -s ${url}/v1/me ${auth}`,
    `curl -s ${url}/v1/orgs/${user.orgId} ${auth}`,
    `curl -s ${url}/v1/orgs/${user.orgId}/children ${auth}`,
    `curl -s ${url}/v1/orgs/${user.orgId}/descendants ${auth}`,
    // A partner's whole subtree is billed from it: its price book and every invoice below it (CSV too).
    ...(user.role === 'partner-admin'
      ? [
          `curl -s ${url}/v1/orgs/${user.orgId}/price-book ${auth}`,
          `curl -s "${url}/v1/orgs/${user.orgId}/invoices?status=overdue" ${auth}`,
          `curl -s ${url}/v1/orgs/${user.orgId}/invoices/export ${auth}`,
        ]
      : []),
  ];
};

/**
 * A partner integration: the partner admin (with $TOKEN from above) creates an
 * API key, then calls with `x-api-key` alone, and revokes it. Locally no usage
 * plan throttles it (see README).
 */
const apiKeyCalls = (url: string, user: BannerUser): string[] => [
  `KEY=$(curl -s -X POST ${url}/v1/orgs/${user.orgId}/api-keys -H "authorization: Bearer $TOKEN" \\`,
  `  -H 'content-type: application/json' -d '{"name":"My integration","role":"read-only"}' | sed -E 's/.*"secret":"([^"]+)".*/\\1/')`,
  `curl -s ${url}/v1/orgs/${user.orgId}/children -H "x-api-key: $KEY"`,
  `curl -s ${url}/v1/orgs/${user.orgId}/api-keys -H "authorization: Bearer $TOKEN"`,
  `curl -s -X DELETE ${url}/v1/orgs/${user.orgId}/api-keys/\${KEY%%.*} -H "authorization: Bearer $TOKEN"`,
];

/**
 * "Login As": a technician's token, a session in a customer below its
 * partner, then calls made with the session's token (the seed puts a
 * technician and a customer admin of one of that partner's customers in the demo).
 */
const impersonationCalls = (url: string, technician: BannerUser, customer: BannerUser): string[] => {
  const extract = `sed -E 's/.*"token":"([^"]+)".*/\\1/'`;
  return [
    `TECH=$(curl -s -X POST ${url}/local/token -H 'content-type: application/json' \\`,
    `  -d '{"email":"${technician.email}"}' | ${extract})`,
    `SESSION=$(curl -s -X POST ${url}/v1/orgs/${customer.orgId}/impersonations -H "authorization: Bearer $TECH" \\`,
    `  -H 'content-type: application/json' -d '{"reason":"Checking the users of this customer","minutes":15}' | ${extract})`,
    `curl -s ${url}/v1/me -H "authorization: Bearer $SESSION"`,
    `curl -s ${url}/v1/orgs/${customer.orgId}/members -H "authorization: Bearer $SESSION"`,
    `curl -s ${url}/v1/orgs/${customer.orgId}/impersonations -H "authorization: Bearer $TECH"`,
  ];
};

/** The client portal as a requester of two companies sees it: its companies, then one company's portal, then the other's. */
const portalCalls = (url: string, requester: BannerRequester, other: BannerRequester | undefined): string[] => {
  const auth = `-H "authorization: Bearer $TOKEN"`;
  return [
    `TOKEN=$(curl -s -X POST ${url}/local/token -H 'content-type: application/json' \\`,
    `  -d '{"email":"${requester.email}"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
    `curl -s ${url}/v1/me/companies ${auth}`,
    `curl -s ${url}/v1/orgs/${requester.orgId}/portal/summary ${auth}`,
    `curl -s ${url}/v1/orgs/${requester.orgId}/tickets ${auth}`,
    `curl -s ${url}/v1/orgs/${requester.orgId}/assets ${auth}`,
    ...(other ? [`curl -s ${url}/v1/orgs/${other.orgId}/quotes ${auth}   # the same person at ${other.orgName}`] : []),
  ];
};

const portalSection = (url: string, requesters: readonly BannerRequester[]): string[] => {
  if (requesters.length === 0) return [];
  const emailWidth = Math.max(...requesters.map((r) => r.email.length));
  const roleWidth = Math.max(...requesters.map((r) => r.portalRole.length));
  // Someone who belongs to two companies shows switching between them.
  const twice = requesters.find((r) => requesters.some((other) => other.email === r.email && other.orgId !== r.orgId)) ?? requesters[0];
  const other = twice ? requesters.find((r) => r.email === twice.email && r.orgId !== twice.orgId) : undefined;
  return [
    bold('Client portal: customers’ own people (POST /local/token with these emails too)'),
    ...requesters.map((r) => `  ${r.email.padEnd(emailWidth)}  ${r.portalRole.padEnd(roleWidth)}  ${r.orgName} (${r.orgId})`),
    '',
    ...(twice ? [bold(`Try the portal as ${twice.email}`), ...portalCalls(url, twice, other).map((line) => `  ${line}`), ''] : []),
  ];
};

/** The start-up banner of `npm start`: where things run, who can sign in, and calls to paste. */
export const formatBanner = (input: BannerInput): string => {
  const emailWidth = Math.max(...input.users.map((user) => user.email.length), 5);
  const roleWidth = Math.max(...input.users.map((user) => user.role.length), 4);
  // A partner admin shows the hierarchy best: an org with customers and a sub-reseller below it.
  const example = input.users.find((user) => user.role === 'partner-admin') ?? input.users[0];
  const technician = input.users.find((user) => user.role === 'partner-technician');
  const customer = input.users.find((user) => user.role === 'customer-admin');
  return [
    '',
    bold('Partner Portal — local runtime'),
    `  API       ${input.url}   (OpenAPI: ${input.url}/v1/openapi.json)`,
    `  DynamoDB  ${input.endpoint}   table ${input.tableName}, ${input.dataDir ? `data kept in ${input.dataDir}` : 'in memory'}`,
    '',
    bold('Users (POST /local/token with any of these emails)'),
    ...input.users.map((user) => `  ${user.email.padEnd(emailWidth)}  ${user.role.padEnd(roleWidth)}  ${user.orgName} (${user.orgId})`),
    '',
    ...(example ? [bold(`Try it as ${example.email}`), ...sampleCalls(input.url, example).map((line) => `  ${line}`), ''] : []),
    ...(example?.role === 'partner-admin'
      ? [bold('An integration with an API key (same $TOKEN)'), ...apiKeyCalls(input.url, example).map((line) => `  ${line}`), '']
      : []),
    ...(technician && customer
      ? [
          bold(`Log in as ${customer.orgName} (${technician.email}, a 15-minute session)`),
          ...impersonationCalls(input.url, technician, customer).map((line) => `  ${line}`),
          '',
        ]
      : []),
    ...portalSection(input.url, input.requesters ?? []),
    'Ctrl-C stops the API and DynamoDB Local.',
    '',
  ].join('\n');
};
