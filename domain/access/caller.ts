/**
 * Who is making a request, as resolved once by the authorizer and handed to
 * every handler through the request context. Grants are never carried here:
 * they are read fresh on every request so a revocation takes effect at once.
 */
export type PrincipalType = 'user' | 'api-key';

export interface Caller {
  /** `usr_…` for users, `key_…` for API keys; empty when a verified user has no account yet. */
  principalId: string;
  principalType: PrincipalType;
  email?: string;
  /** Set when the request is made with an impersonation token. */
  impersonationId?: string;
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
}

export const actorOf = (caller: Caller, request: { requestId: string; sourceIp: string | null }): Actor => ({
  userId: caller.principalType === 'user' && caller.principalId ? caller.principalId : null,
  apiKeyId: caller.principalType === 'api-key' ? caller.principalId : null,
  impersonatorId: caller.impersonatorId ?? null,
  requestId: request.requestId,
  sourceIp: request.sourceIp,
});
