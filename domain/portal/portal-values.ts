/**
 * The client portal's value sets. Apart from the entities so that code which
 * needs only the values (the route table's schemas, which the CDK app loads)
 * can import them without TABLE_NAME being set.
 */
export const ticketStatuses = ['open', 'in_progress', 'waiting_on_client', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const ticketCategories = ['hardware', 'software', 'network', 'account', 'other'] as const;

export const projectStatuses = ['planned', 'active', 'on_hold', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const assetTypes = ['laptop', 'desktop', 'server', 'network', 'phone', 'printer', 'other'] as const;

export const documentCategories = ['network', 'security', 'backup', 'procedure', 'credentials', 'contract', 'other'] as const;

export const quoteStatuses = ['open', 'accepted', 'declined'] as const;
export type QuoteStatus = (typeof quoteStatuses)[number];
