import type { RoleName } from './roles.ts';

/**
 * Who is making a request, as resolved once by the authorizer and handed to
 * every handler through the request context. Grants are never carried here
 * for users: they are read fresh on every request so a revocation takes
 * effect at once. An API key's org and role come from its item, which the
 * authorizer reads on every request (uncached); an impersonation session is
 * read by the handler beside the other authorization reads.
 */
export type PrincipalType = 'user' | 'api-key' | 'impersonation';

export interface Caller {
  /** `usr_…` for users, `key_…` for API keys, `imp_…` for impersonation sessions; empty when a verified user has no account yet. */
  principalId: string;
  principalType: PrincipalType;
  email?: string;
  /** API keys: the org the key belongs to and the role it carries. */
  keyOrgId?: string;
  keyRole?: RoleName;
  /** Impersonation sessions: the user behind the session. */
  impersonatorId?: string;
}

/** What every write records about who made it. */
export interface Actor {
  userId: string | null;
  apiKeyId: string | null;
  impersonatorId: string | null;
  /** Writes made with an impersonation token: the session, and the role it acts with. */
  impersonationId?: string | null;
  actingRole?: string | null;
  requestId: string;
  sourceIp: string | null;
  /** Nobody signed in: a public route (see `anonymousActor` in db/written-by.ts). */
  anonymous?: boolean;
}

/** The role an impersonation session acts with in its customer. */
export const impersonationRole: RoleName = 'customer-admin';

export const actorOf = (caller: Caller, request: { requestId: string; sourceIp: string | null }): Actor => ({
  userId: caller.principalType === 'user' && caller.principalId ? caller.principalId : null,
  apiKeyId: caller.principalType === 'api-key' ? caller.principalId : null,
  impersonatorId: caller.principalType === 'impersonation' ? (caller.impersonatorId ?? null) : null,
  impersonationId: caller.principalType === 'impersonation' ? caller.principalId : null,
  actingRole: caller.principalType === 'impersonation' ? impersonationRole : null,
  requestId: request.requestId,
  sourceIp: request.sourceIp,
});
