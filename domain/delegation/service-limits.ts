/**
 * The shape and bounds of service relationships: plain values (no entity,
 * no table), so the route table's schemas, and with them the CDK app, can
 * read them without a table to talk to.
 */

/** A service's life: shared (`active`), being wound down account by account (`ending`), over (`ended`, kept for its history). */
export const serviceStatuses = ['active', 'ending', 'ended'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

/** A service holds at most this many accounts, so reading one stays a bounded answer. */
export const maxServiceAccounts = 250;

/** Accounts named at creation: the service, and a link and an org write per account, make one transaction of at most 100 items. */
export const maxAccountsAtCreation = 49;

/** A bulk grant or revocation names at most this many user × account pairs. */
export const maxPairs = 1000;
