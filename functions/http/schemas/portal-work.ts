import { z } from 'zod';
import { assetTypes, projectStatuses, ticketCategories, ticketPriorities, ticketStatuses } from '#domain/portal/portal-values';
import { displayName, id, orgId, paging, timestamp, userId } from './common.ts';

/** Free text: trimmed, no control characters but line breaks and tabs. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, 'must not contain control characters other than line breaks and tabs');

export const ticketId = id('tkt');
export const ticketParams = z.strictObject({ ticketId });

const side = z.enum(['client', 'msp']).meta({ description: "Which side wrote it: the MSP's or the client's" });

export const ticket = z
  .object({
    id: ticketId,
    customerId: orgId,
    title: z.string(),
    description: z.string(),
    priority: z.enum(ticketPriorities),
    category: z.enum(ticketCategories),
    status: z.enum(ticketStatuses),
    openedBy: z.string().meta({ description: 'The user (or API key, or impersonation session) that opened it' }),
    side,
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Ticket' });

export const listTicketsQuery = z.strictObject({
  ...paging,
  status: z.enum(ticketStatuses).optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: only the tickets the caller opened' }),
});

export const createTicketBody = z
  .strictObject({
    title: text(200),
    description: text(4_000),
    priority: z.enum(ticketPriorities),
    category: z.enum(ticketCategories),
  })
  .meta({ id: 'CreateTicket' });

export const updateTicketBody = z
  .strictObject({
    title: text(200).optional(),
    description: text(4_000).optional(),
    priority: z.enum(ticketPriorities).optional(),
    category: z.enum(ticketCategories).optional(),
    status: z.enum(ticketStatuses).optional().meta({ description: 'The MSP side only; `closed` is final' }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .meta({
    id: 'UpdateTicket',
    description:
      'The MSP side changes anything until the ticket is closed; a client edits only the tickets it opened, while still `open`, and never the status',
  });

export const ticketComment = z
  .object({ id: id('cmt'), ticketId, text: z.string(), authorId: z.string(), side, createdAt: timestamp })
  .meta({ id: 'TicketComment' });

export const listCommentsQuery = z.strictObject({ ...paging });

export const addCommentBody = z.strictObject({ text: text(5_000) }).meta({ id: 'AddTicketComment' });

export const projectId = id('prj');
export const projectParams = z.strictObject({ projectId });

export const project = z
  .object({
    id: projectId,
    customerId: orgId,
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(projectStatuses),
    progress: z.number().int().min(0).max(100),
    visibleToClient: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Project' });

export const listProjectsQuery = z.strictObject({ ...paging });

const progress = z.number().int().min(0).max(100).meta({ description: 'Percent done, 0–100' });

export const createProjectBody = z
  .strictObject({
    name: displayName,
    description: text(2_000).optional(),
    visibleToClient: z.boolean().meta({ description: 'Show it to the client (to requesters whose role carries view-projects)' }),
    status: z.enum(projectStatuses).optional().meta({ description: 'Default `planned`' }),
    progress: progress.optional().meta({ description: 'Default 0' }),
  })
  .meta({ id: 'CreateProject' });

export const updateProjectBody = z
  .strictObject({
    name: displayName.optional(),
    description: text(2_000).optional(),
    status: z.enum(projectStatuses).optional(),
    progress: progress.optional(),
    visibleToClient: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'UpdateProject' });

export const assetId = id('ast');
export const assetParams = z.strictObject({ assetId });

export const asset = z
  .object({
    id: assetId,
    customerId: orgId,
    name: z.string(),
    type: z.enum(assetTypes),
    serialNumber: z.string().nullable(),
    requesterIds: z.array(userId).meta({
      description: 'Requesters it is mapped to; one removed since stays listed until the next PUT, but its mapping no longer counts',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Asset' });

export const listAssetsQuery = z.strictObject({ ...paging });

export const createAssetBody = z
  .strictObject({
    name: displayName,
    type: z.enum(assetTypes),
    serialNumber: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, 'letters, digits, spaces and . _ / -')
      .optional(),
  })
  .meta({ id: 'CreateAsset' });

export const setAssetRequestersBody = z
  .strictObject({
    userIds: z
      .array(userId)
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a user')
      .meta({ description: "Exactly the requesters to map (replaces the mapping); each must be a requester of the asset's customer" }),
  })
  .meta({ id: 'SetAssetRequesters' });
