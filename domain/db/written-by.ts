import type { Actor } from '../access/caller.ts';

/** Thrown by ElectroDB when a write leaves out who made it. */
const unstamped = <T>(value?: T): T => {
  if (value === undefined) throw new Error('Every write must say who made it: set writtenBy');
  return value;
};

/**
 * Every entity carries who last wrote it. The attribute is required on
 * create and put, and watches every other attribute so that an update or
 * patch that leaves it out throws before it is sent: no write can forget its
 * actor. The audit consumer reads it from the stream's new image, and for
 * deletions from the tombstone written in the same transaction as the delete
 * (tombstone.entity.ts).
 */
export const writtenByAttribute = {
  type: 'map',
  required: true,
  watch: '*',
  set: unstamped,
  properties: {
    userId: { type: 'string' },
    apiKeyId: { type: 'string' },
    impersonatorId: { type: 'string' },
    impersonationId: { type: 'string' },
    actingRole: { type: 'string' },
    requestId: { type: 'string', required: true },
    sourceIp: { type: 'string' },
    /** Set on writes made by an unauthenticated caller (a public route): who it was is `sourceIp`. */
    anonymous: { type: 'boolean' },
    at: { type: 'string', required: true },
  },
} as const;

export interface WrittenBy {
  userId?: string;
  apiKeyId?: string;
  impersonatorId?: string;
  /** The impersonation session a write was made in, and the role it acted with. */
  impersonationId?: string;
  actingRole?: string;
  requestId: string;
  sourceIp?: string;
  /** An unauthenticated caller of a public route (a programme application): nobody signed in, `sourceIp` says where from. */
  anonymous?: boolean;
  at: string;
}

export const writtenBy = (actor: Actor, at: string): WrittenBy => ({
  ...(actor.userId ? { userId: actor.userId } : {}),
  ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
  ...(actor.impersonatorId ? { impersonatorId: actor.impersonatorId } : {}),
  ...(actor.impersonationId ? { impersonationId: actor.impersonationId } : {}),
  ...(actor.actingRole ? { actingRole: actor.actingRole } : {}),
  ...(actor.sourceIp ? { sourceIp: actor.sourceIp } : {}),
  ...(actor.anonymous ? { anonymous: true } : {}),
  requestId: actor.requestId,
  at,
});

/** The actor of a public route's writes: nobody signed in; the request id and the source IP say which request it was. */
export const anonymousActor = (request: { requestId: string; sourceIp: string | null }): Actor => ({
  userId: null,
  apiKeyId: null,
  impersonatorId: null,
  requestId: request.requestId,
  sourceIp: request.sourceIp,
  anonymous: true,
});

/** The actor of writes the system makes itself (bootstrap, seeding, migrations). */
export const systemActor = (requestId: string): Actor => ({
  userId: null,
  apiKeyId: null,
  impersonatorId: null,
  requestId,
  sourceIp: null,
});
