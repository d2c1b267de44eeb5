import type { TransactionEntities } from '../db/service.ts';
import type { WrittenBy } from '../db/written-by.ts';
import type { ProjectStatus } from './project.entity.ts';
import type { TicketStatus } from './ticket.entity.ts';

export type { TransactionEntities };

export type SummaryCounter =
  | 'ticketsOpen'
  | 'ticketsInProgress'
  | 'ticketsWaitingOnClient'
  | 'ticketsResolved'
  | 'ticketsClosed'
  | 'projectsActive'
  | 'projectsActiveVisible'
  | 'assets'
  | 'quotesOpen'
  | 'unpaidInvoices';

export type SummaryDelta = Partial<Record<SummaryCounter, number>>;

export const ticketCounterOf: Record<TicketStatus, SummaryCounter> = {
  open: 'ticketsOpen',
  in_progress: 'ticketsInProgress',
  waiting_on_client: 'ticketsWaitingOnClient',
  resolved: 'ticketsResolved',
  closed: 'ticketsClosed',
};

/** Adds `b` to `a`, counter by counter. */
export const addDeltas = (a: SummaryDelta, b: SummaryDelta): SummaryDelta => {
  const sum: SummaryDelta = { ...a };
  for (const [counter, value] of Object.entries(b) as [SummaryCounter, number][]) sum[counter] = (sum[counter] ?? 0) + value;
  return sum;
};

/** How a ticket's counters move when its status goes from `before` (null: new) to `after`. */
export const ticketDelta = (before: TicketStatus | null, after: TicketStatus): SummaryDelta =>
  before === after ? {} : addDeltas(before ? { [ticketCounterOf[before]]: -1 } : {}, { [ticketCounterOf[after]]: 1 });

/** How the project counters move between two states of a project (null: it did not exist). */
export const projectDelta = (
  before: { status: ProjectStatus; visibleToClient: boolean } | null,
  after: { status: ProjectStatus; visibleToClient: boolean },
): SummaryDelta => {
  const count = (state: typeof after | null): SummaryDelta =>
    state?.status === 'active' ? { projectsActive: 1, ...(state.visibleToClient ? { projectsActiveVisible: 1 } : {}) } : {};
  const negate = (delta: SummaryDelta): SummaryDelta =>
    Object.fromEntries(Object.entries(delta).map(([counter, value]) => [counter, -value])) as SummaryDelta;
  return addDeltas(negate(count(before)), count(after));
};

const nonZero = (delta: SummaryDelta): SummaryDelta =>
  Object.fromEntries(Object.entries(delta).filter(([, value]) => value !== 0)) as SummaryDelta;

/**
 * The summary item's update for a transaction, or nothing when no counter
 * moves. `update` creates the item the first time a customer's counter moves.
 */
export const summaryWrites = (tx: TransactionEntities, customerId: string, delta: SummaryDelta, by: WrittenBy) => {
  const moved = nonZero(delta);
  if (Object.keys(moved).length === 0) return [];
  return [tx.portalSummary.update({ customerId }).add(moved).set({ writtenBy: by }).commit()];
};

/** The per-partner share counter's update for a transaction. */
export const shareCountWrite = (tx: TransactionEntities, customerId: string, partnerId: string, delta: number, by: WrittenBy) =>
  tx.documentShareCount.update({ customerId, partnerId }).add({ shares: delta }).set({ writtenBy: by }).commit();
