import { z } from 'zod';
import { maxNetworkLength, maxNetworksPerList, parseNetworkList } from '#domain/partners/network-address';
import { builtInPartnerStatuses } from '#domain/partners/partner-statuses';
import { maxHostLength, parseSmarthostHost } from '#domain/partners/smarthost';
import { isCountryCode } from '#domain/shared/countries';
import { displayName, email, orgId, timestamp } from './common.ts';

/** Free text on one line: trimmed, no control characters. */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code, e.g. DE')
  .meta({ description: 'ISO 3166-1 alpha-2 country code (upper case; lower case is accepted)', example: 'DE' });

export const website = z
  .string()
  .trim()
  .max(200)
  .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'must be an http(s) URL with a host name' }))
  .meta({ description: 'http(s) URL, at most 200 characters', example: 'https://www.contoso.example' });

const phone = z
  .string()
  .trim()
  .max(32)
  .transform((value) => value.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an international number: + then 7–15 digits (spaces, dots, dashes allowed)'))
  .meta({ description: 'International (E.164) number; spaces, dots, dashes and parentheses are dropped', example: '+49 30 1234567' });

const contact = z
  .strictObject({ name: displayName, email, phone: phone.nullable().optional() })
  .meta({ id: 'Contact', description: 'A person to reach' });

const contactView = z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }).meta({ id: 'ContactView' });

const address = z
  .strictObject({
    lines: z.array(line(100)).max(3).default([]).meta({ description: 'Street lines, at most 3' }),
    city: line(100).nullable().optional(),
    postalCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/, 'letters, digits, spaces and hyphens, at most 16')
      .nullable()
      .optional(),
    region: line(100).nullable().optional(),
    country,
  })
  .meta({ id: 'PostalAddress', description: 'Postal address; only the country is required' });

const addressView = z
  .object({
    lines: z.array(z.string()),
    city: z.string().nullable(),
    postalCode: z.string().nullable(),
    region: z.string().nullable(),
    country: z.string(),
  })
  .meta({ id: 'PostalAddressView' });

const statusSlug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, 'a lowercase slug: a letter, then letters, digits or hyphens (2–32)')
  .meta({ example: 'technical' });

const uniqueSlugs = (max: number) =>
  z
    .array(statusSlug)
    .max(max)
    .transform((values) => [...new Set(values)]);

const builtIn: readonly string[] = builtInPartnerStatuses;

export const putProfileBody = z
  .strictObject({
    companyContact: contact.nullable().optional(),
    billingContact: contact.nullable().optional(),
    website: website.nullable().optional(),
    address: address.nullable().optional(),
    statuses: uniqueSlugs(20)
      .optional()
      .meta({
        description: `Partners only: built-in (${builtIn.join(', ')}) or defined by the partner's channel in its \`programme.partnerStatuses\``,
      }),
    programme: z
      .strictObject({
        partnerStatuses: uniqueSlugs(20)
          .refine((values) => values.every((value) => !builtIn.includes(value)), `${builtIn.join(' and ')} are built in`)
          .default([])
          .meta({ description: 'Statuses this channel’s partners may hold besides the built-in ones' }),
        acceptsApplications: z.boolean().default(false).meta({ description: 'Open the public application form to this channel' }),
      })
      .optional()
      .meta({ description: 'Channels only' }),
  })
  .meta({
    id: 'PutProfile',
    description:
      'Replaces the whole profile: a field left out is cleared. Profiles exist for channels and partners (a customer’s or the platform’s answers 404/409 with rule `no-profile`). If-Match is honoured, not required (`"0"`: create only if none exists).',
  });

export const profile = z
  .object({
    orgId,
    kind: z.enum(['channel', 'partner']),
    companyContact: contactView.nullable(),
    billingContact: contactView.nullable(),
    website: z.string().nullable(),
    address: addressView.nullable(),
    statuses: z.array(z.string()).optional().meta({ description: 'Partners only' }),
    programme: z
      .object({ partnerStatuses: z.array(z.string()), acceptsApplications: z.boolean() })
      .optional()
      .meta({ description: 'Channels only' }),
    version: z.number().int().meta({ description: '0 while nothing has been stored' }),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'Profile' });

const networkList = (what: string) =>
  z
    .array(z.string().max(maxNetworkLength))
    .max(maxNetworksPerList)
    .transform((values, ctx) => {
      const { values: parsed, errors } = parseNetworkList(values);
      for (const error of errors) ctx.addIssue({ code: 'custom', message: error.reason, path: [error.index], input: values[error.index] });
      return parsed;
    })
    .meta({
      description: `${what}: IPv4 or IPv6 addresses or CIDR blocks, at most ${maxNetworksPerList}. Public space only (private, loopback, link-local, CGNAT, multicast, documentation, benchmarking, reserved, unique-local, NAT64, 6to4, Teredo … are refused, each error naming its index and the range); a block must name its network address (\`8.8.8.8/24\` is refused, \`8.8.8.0/24\` is not). Stored canonical (IPv6 per RFC 5952, \`/32\` and \`/128\` as the bare address) and de-duplicated in first-seen order.`,
      example: ['8.8.8.0/24', '2001:4860:4860::8888'],
    });

const smarthostHost = z
  .string()
  .max(maxHostLength + 2)
  .transform((value, ctx) => {
    const parsed = parseSmarthostHost(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason, input: value });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({
    description:
      'A fully qualified RFC 1123 host name (stored lowercase, no trailing dot) or a public IPv4/IPv6 literal (IPv6 with or without brackets)',
    example: 'smtp.contoso.example',
  });

export const putConfigBody = z
  .strictObject({
    inboundIps: networkList('Addresses the MSP reaches the platform from').optional(),
    outboundIps: networkList('Addresses the MSP’s systems send from').optional(),
    smarthost: z
      .strictObject({
        host: smarthostHost,
        port: z.number().int().min(1).max(65535).nullable().optional().meta({ description: '1–65535; left out: the standard port' }),
      })
      .nullable()
      .optional()
      .meta({ description: 'The mail relay; null or left out: none' }),
  })
  .meta({
    id: 'PutConfig',
    description:
      'Replaces the whole configuration: a list left out is emptied, a smarthost left out removed. Partners and customers keep one (a channel’s or the platform’s answers 404/409 with rule `no-config`). If-Match is honoured, not required.',
  });

export const config = z
  .object({
    orgId,
    kind: z.enum(['partner', 'customer']),
    inboundIps: z.array(z.string()),
    outboundIps: z.array(z.string()),
    smarthost: z.object({ host: z.string(), port: z.number().int().nullable() }).nullable(),
    inheritedFrom: z.object({ orgId, version: z.number().int() }).nullable().meta({
      description:
        'A customer whose values are still the copy of its partner’s configuration taken when it was created: whose, and which version. Null once the customer’s own configuration changed; later changes to the partner never reach it.',
    }),
    version: z.number().int().meta({ description: '0 while nothing has been stored' }),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'Config' });
