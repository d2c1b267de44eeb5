import { z } from 'zod';
import { documentCategories, quoteStatuses } from '#domain/portal/portal-values';
import { id, orgId, paging, timestamp } from './common.ts';
import { text } from './portal-work.ts';

export const docId = id('doc');
export const documentParams = z.strictObject({ docId });
export const shareParams = z.strictObject({
  docId,
  customerId: orgId.meta({ description: 'A customer of the partner that wrote the document' }),
});

export const document = z
  .object({
    id: docId,
    title: z.string(),
    category: z.enum(documentCategories),
    content: z.string(),
    sharedWith: orgId.nullable().meta({
      description: 'The one customer it is shared with (null: none, or a customer no longer under the partner that wrote it)',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z
      .number()
      .int()
      .meta({ description: 'Moves with each share and withdrawal; PUT and DELETE of a share honour If-Match on it' }),
  })
  .meta({ id: 'Document' });

export const sharedDocument = z
  .object({ id: docId, title: z.string(), category: z.enum(documentCategories), sharedAt: timestamp })
  .meta({ id: 'SharedDocument' });

export const createDocumentBody = z
  .strictObject({
    title: text(200),
    category: z.enum(documentCategories),
    content: text(8_000).meta({ description: 'Plain text, at most 8,000 characters (runbooks, plans; no attachments)' }),
  })
  .meta({ id: 'CreateDocument' });

export const listDocumentsQuery = z.strictObject({ ...paging });

export const quoteId = id('quo');
export const quoteParams = z.strictObject({ quoteId });

const line = z.strictObject({
  description: text(200),
  quantity: z.number().int().min(1).max(100_000),
  unitAmount: z.number().int().min(0).max(1_000_000_000).meta({ description: 'Integer minor units of the currency (cents for EUR)' }),
});

export const quote = z
  .object({
    id: quoteId,
    customerId: orgId,
    title: z.string(),
    currency: z.string(),
    lines: z.array(z.object({ description: z.string(), quantity: z.number().int(), unitAmount: z.number().int() })),
    total: z.number().int().meta({ description: 'Sum of quantity × unitAmount, in minor units' }),
    validUntil: timestamp.nullable(),
    status: z.enum(quoteStatuses),
    decidedBy: z.string().nullable().meta({ description: 'The approver who accepted or declined it' }),
    decidedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Quote' });

export const listQuotesQuery = z.strictObject({ ...paging });

export const createQuoteBody = z
  .strictObject({
    title: text(200),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. EUR')
      .meta({ example: 'EUR' }),
    lines: z.array(line).min(1).max(50),
    validUntil: timestamp.optional().meta({ description: 'After this the quote can no longer be accepted' }),
  })
  .meta({ id: 'CreateQuote' });

export const portalSummary = z
  .object({
    customerId: orgId,
    viewer: z.enum(['msp', 'client']),
    tickets: z
      .object({
        open: z.number().int(),
        inProgress: z.number().int(),
        waitingOnClient: z.number().int(),
        resolved: z.number().int(),
        closed: z.number().int(),
      })
      .nullable()
      .meta({ description: 'Company-wide counts by status; null for a client whose role shows only its own tickets' }),
    activeProjects: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'For a client, those shown to the client; null when its role shows none' }),
    assets: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'All of the company’s; null for a client whose role shows only assets mapped to it' }),
    documents: z.number().int().nullable(),
    openQuotes: z.number().int().nullable(),
    unpaidInvoices: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Kept by billing; null when the client’s role shows no quotes and invoices' }),
  })
  .meta({
    id: 'PortalSummary',
    description:
      'Counts kept as counters in the same transactions as what they count: one read. They follow the viewer: the MSP side sees everything, a client the counts of what its role shows company-wide (null for the rest).',
  });
