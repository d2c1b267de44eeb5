import type { RoleName } from '../access/roles.ts';
import type { ImpersonationItem } from './impersonation.entity.ts';

export type SessionStatus = 'active' | 'ended';
export type SessionEndReason = 'ended' | 'replaced' | 'partner-access-off' | 'permission-lost' | 'expired';

/** A session as the listing shows it: never its token (the table never holds one). */
export interface ImpersonationView {
  id: string;
  customerId: string;
  impersonatorId: string;
  impersonatorEmail: string;
  actingRole: RoleName;
  reason: string;
  ticket: string | null;
  startedAt: string;
  /** When it ends (or ended) by itself. */
  expiresAt: string;
  status: SessionStatus;
  /** When it stopped: the explicit end, or `expiresAt` once that has passed; null while it runs. */
  endedAt: string | null;
  endReason: SessionEndReason | null;
}

/** Whether a session still runs: not ended, and not past its end. */
export const isRunning = (item: Pick<ImpersonationItem, 'endedAt' | 'endsAt'>, now: number = Date.now()): boolean =>
  item.endedAt === undefined && Date.parse(item.endsAt) > now;

export const toImpersonationView = (item: ImpersonationItem, now: number = Date.now()): ImpersonationView => {
  const expired = item.endedAt === undefined && Date.parse(item.endsAt) <= now;
  return {
    id: item.impersonationId,
    customerId: item.customerId,
    impersonatorId: item.impersonatorId,
    impersonatorEmail: item.impersonatorEmail,
    actingRole: item.actingRole as RoleName,
    reason: item.reason,
    ticket: item.ticket ?? null,
    startedAt: item.startedAt,
    expiresAt: item.endsAt,
    status: isRunning(item, now) ? 'active' : 'ended',
    endedAt: item.endedAt ?? (expired ? item.endsAt : null),
    endReason: item.endReason ?? (expired ? 'expired' : null),
  };
};
