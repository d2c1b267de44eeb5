import { randomBytes } from 'node:crypto';

/**
 * Opaque ids with a type prefix. Generated ids are 20 characters of
 * time-then-random base32 (sortable by creation), but any id of the form
 * `prefix_[0-9a-z]{1,40}` is accepted, so seeded and test ids may be short and
 * even prefixes of each other: nothing may rely on an id's length.
 */
export const idPrefixes = [
  'org',
  'usr',
  'key',
  'svc',
  'inv',
  'app',
  'imp',
  'aud',
  'mov',
  // Billing history events.
  'evt',
  // Client portal: tickets, their comments, projects, assets, IT documents, quotes.
  'tkt',
  'cmt',
  'prj',
  'ast',
  'doc',
  'quo',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

const encode = (value: bigint, length: number): string => {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = alphabet[Number(rest % 32n)] + out;
    rest /= 32n;
  }
  return out;
};

export const newId = (prefix: IdPrefix, now: number = Date.now()): string => {
  const time = encode(BigInt(now), 9);
  const random = encode(BigInt(`0x${randomBytes(8).toString('hex')}`), 11);
  return `${prefix}_${time}${random}`;
};

export const idPattern = (prefix: IdPrefix): RegExp => new RegExp(`^${prefix}_[0-9a-z]{1,40}$`);

export const isId = (prefix: IdPrefix, value: string): boolean => idPattern(prefix).test(value);

export const rootOrgId = 'org_root';
