/** A demo user as the banner lists it; the seed's users have this shape. */
export interface BannerUser {
  email: string;
  role: string;
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

/** The start-up banner of `npm start`: where things run, who can sign in, and calls to paste. */
export const formatBanner = (input: BannerInput): string => {
  const emailWidth = Math.max(...input.users.map((user) => user.email.length), 5);
  const roleWidth = Math.max(...input.users.map((user) => user.role.length), 4);
  // A partner admin shows the hierarchy best: an org with customers and a sub-reseller below it.
  const example = input.users.find((user) => user.role === 'partner-admin') ?? input.users[0];
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
    'Ctrl-C stops the API and DynamoDB Local.',
    '',
  ].join('\n');
};
