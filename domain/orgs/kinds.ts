/**
 * The hierarchy's kinds and which may sit under which. A partner may hold
 * sub-reseller partners; customers are leaves.
 */
export const orgKinds = ['platform', 'channel', 'partner', 'customer'] as const;
export type OrgKind = (typeof orgKinds)[number];

/** Kinds a client may create through the API (the platform root exists once). */
export const creatableKinds = ['channel', 'partner', 'customer'] as const;
export type CreatableKind = (typeof creatableKinds)[number];

const allowedChildren: Record<OrgKind, readonly OrgKind[]> = {
  platform: ['channel'],
  channel: ['partner'],
  partner: ['partner', 'customer'],
  customer: [],
};

/** Root is depth 1; a path never holds more ids than this. */
export const maxDepth = 8;

export const mayHoldChild = (parent: OrgKind, child: OrgKind): boolean => allowedChildren[parent].includes(child);

export const orgStatuses = ['active', 'suspended'] as const;
export type OrgStatus = (typeof orgStatuses)[number];

/** Customers only: `internal` is the partner's own domain, `nfr` is not for resale. */
export const customerTypes = ['standard', 'internal', 'nfr'] as const;
export type CustomerType = (typeof customerTypes)[number];

export const subscriptionStates = ['trial', 'active', 'past_due', 'suspended', 'cancelled'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

const subscriptionTransitions: Record<SubscriptionState, readonly SubscriptionState[]> = {
  trial: ['active', 'cancelled'],
  active: ['past_due', 'suspended', 'cancelled'],
  past_due: ['active', 'suspended', 'cancelled'],
  suspended: ['active', 'cancelled'],
  cancelled: [],
};

export const maySubscriptionMove = (from: SubscriptionState, to: SubscriptionState): boolean => subscriptionTransitions[from].includes(to);
