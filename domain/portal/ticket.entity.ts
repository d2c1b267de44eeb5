import { Entity, type EntityItem } from 'electrodb';
import { entityConfig, service } from '../db/entity-config.ts';
import { writtenByAttribute } from '../db/written-by.ts';
import { ticketCategories, ticketPriorities, ticketStatuses } from './portal-values.ts';

export { type TicketStatus, ticketCategories, ticketPriorities, ticketStatuses } from './portal-values.ts';

/**
 * A support ticket of a customer. Its id is time-sortable, so a customer's
 * tickets list newest first on gsi1 (all) or gsi3 (one status). `openedBy`
 * is the principal that opened it (a requester's user id, or the MSP side's
 * user, key or session) and `side` which side that was.
 */
export const TicketEntity = new Entity(
  {
    model: { entity: 'ticket', version: '1', service },
    attributes: {
      ticketId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      title: { type: 'string', required: true },
      description: { type: 'string', required: true },
      priority: { type: ticketPriorities, required: true },
      category: { type: ticketCategories, required: true },
      status: { type: ticketStatuses, required: true },
      openedBy: { type: 'string', required: true, readOnly: true },
      side: { type: ['client', 'msp'] as const, required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
      version: { type: 'number', required: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byId: {
        pk: { field: 'pk', composite: ['ticketId'] },
        sk: { field: 'sk', composite: [] },
      },
      ticketsOfCustomer: {
        index: 'gsi1',
        pk: { field: 'gsi1pk', composite: ['customerId'] },
        sk: { field: 'gsi1sk', composite: ['ticketId'] },
      },
      ticketsByStatus: {
        index: 'gsi3',
        pk: { field: 'gsi3pk', composite: ['customerId', 'status'] },
        sk: { field: 'gsi3sk', composite: ['ticketId'] },
      },
    },
  },
  entityConfig,
);

export type TicketItem = EntityItem<typeof TicketEntity>;

/**
 * One message of a ticket's conversation, in the ticket's partition (so its
 * comments are one Query, oldest first). `side` marks MSP and client apart.
 */
export const TicketCommentEntity = new Entity(
  {
    model: { entity: 'ticketComment', version: '1', service },
    attributes: {
      ticketId: { type: 'string', required: true, readOnly: true },
      commentId: { type: 'string', required: true, readOnly: true },
      customerId: { type: 'string', required: true, readOnly: true },
      text: { type: 'string', required: true, readOnly: true },
      authorId: { type: 'string', required: true, readOnly: true },
      side: { type: ['client', 'msp'] as const, required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      writtenBy: writtenByAttribute,
    },
    indexes: {
      byTicket: {
        pk: { field: 'pk', composite: ['ticketId'] },
        sk: { field: 'sk', composite: ['commentId'] },
      },
    },
  },
  entityConfig,
);

export type TicketCommentItem = EntityItem<typeof TicketCommentEntity>;
