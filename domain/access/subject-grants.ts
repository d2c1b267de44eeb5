import { ApiKeyEntity } from '../delegation/api-key.entity.ts';
import { ImpersonationEntity } from '../delegation/impersonation.entity.ts';
import { impersonationRole } from './caller.ts';
import { type Grant, loadGrants } from './grants.ts';

/** What explaining access needs of a session beyond its grant: whether it is this one that no longer runs. */
export interface Subject {
  grants: Grant[];
  /** The customer of an impersonation session that has ended (or expired): explained as such there. */
  endedSessionAt?: string;
}

const apiKeySubject = async (keyId: string, now: number): Promise<Subject> => {
  const { data } = await ApiKeyEntity.get({ keyId }).go();
  // A key past its validUntil no longer gets past the authorizer: it holds nothing.
  if (!data || (data.validUntil !== undefined && Date.parse(data.validUntil) <= now)) return { grants: [] };
  return { grants: [{ kind: 'api-key', orgId: data.orgId, role: data.role, keyId }] };
};

/** The session's grant, with its impersonator's grants to check it against (read once the session names them). */
const sessionSubject = async (impersonationId: string, now: number): Promise<Subject> => {
  const { data } = await ImpersonationEntity.get({ impersonationId }).go();
  if (!data) return { grants: [] };
  const ended = data.endedAt !== undefined || Date.parse(data.endsAt) <= now;
  if (ended) return { grants: [], endedSessionAt: data.customerId };
  const impersonatorGrants = await loadGrants({ principalId: data.impersonatorId, principalType: 'user' });
  return {
    grants: [
      {
        kind: 'impersonation',
        orgId: data.customerId,
        role: impersonationRole,
        impersonationId,
        impersonatorId: data.impersonatorId,
        endsAt: data.endsAt,
        ended,
        impersonatorGrants,
      },
    ],
  };
};

/**
 * The grants of whoever an explanation is about, by principal id: a user's
 * grants (one Query on their partition, as on their own requests), an API
 * key's one grant (its item, unless expired), or an impersonation session's
 * (its item, then its impersonator's grants). Unlike a caller's own
 * credentials, an ended session or a revoked key is no error here: it simply
 * holds nothing.
 */
export const loadSubjectGrants = async (principalId: string, now: number = Date.now()): Promise<Subject> => {
  if (principalId.startsWith('key_')) return apiKeySubject(principalId, now);
  if (principalId.startsWith('imp_')) return sessionSubject(principalId, now);
  return { grants: await loadGrants({ principalId, principalType: 'user' }) };
};
