import type { Actor } from '#domain/access/caller';
import { writtenBy } from '#domain/db/written-by';
import { ImpersonationEntity } from '#domain/delegation/impersonation.entity';
import { ImpersonationListingEntity } from '#domain/delegation/impersonation-listing.entity';
import { signImpersonationToken } from '#domain/delegation/impersonation-token';
import { type StartImpersonationInput, startImpersonation } from '#domain/delegation/start-impersonation';
import { type Model, sessionRole } from '../model/model.ts';

/** Reasons a technician gives: valid, and naming no org (an answer naming one would be judged as a leak). */
export const sessionReasons = [
  'Ticket 1: cannot add users',
  'Checking the mailbox rules',
  '  Password reset for the CFO  ',
  'Onboarding help, as agreed on the phone',
];

/**
 * Starts a session through the domain, as the POST does, while a world is
 * built; the answer mirrors it (and what it replaced) in the model when
 * called, so sessions started side by side are learnt in a fixed order.
 */
export const startSession = async (
  model: Model,
  userId: string,
  customerId: string,
  input: StartImpersonationInput,
  actor: Actor,
): Promise<() => void> => {
  // Trimmed as the route's schema hands it to the domain.
  const parsed = { ...input, reason: input.reason.trim(), ...(input.ticket === undefined ? {} : { ticket: input.ticket.trim() }) };
  const started = await startImpersonation(
    { caller: { principalId: userId, principalType: 'user' }, permission: 'impersonate' },
    customerId,
    parsed,
    actor,
  );
  return () => {
    model.recordStart({
      id: started.id,
      customerId,
      impersonatorId: userId,
      impersonatorEmail: model.emailOf(userId) ?? '',
      reason: input.reason.trim(),
      ticket: input.ticket?.trim() ?? null,
      startedAt: started.startedAt,
      endsAt: started.expiresAt,
      token: started.token,
    });
  };
};

/**
 * A session whose end has already passed, written item by item as a start
 * would have written it an hour and a half ago (the API cannot start one in
 * the past), with a token that expired with it. The answer records it in
 * the model when called.
 */
export const plantPastSession = async (
  model: Model,
  userId: string,
  customerId: string,
  input: StartImpersonationInput,
  suffix: string,
): Promise<() => void> => {
  const now = Date.now();
  const id = `imp_0past${suffix.replace(/[^0-9a-z]/g, '')}`;
  const startedAt = new Date(now - 90 * 60_000).toISOString();
  const endsAt = new Date(now - 90 * 60_000 + 30 * 60_000).toISOString();
  const expiresAt = Math.floor(now / 1000) + 24 * 60 * 60;
  const by = writtenBy({ userId, apiKeyId: null, impersonatorId: null, requestId: 'property-world', sourceIp: null }, startedAt);
  const email = model.emailOf(userId) ?? '';
  await ImpersonationEntity.create({
    impersonationId: id,
    customerId,
    impersonatorId: userId,
    impersonatorEmail: email,
    actingRole: sessionRole,
    reason: input.reason.trim(),
    ...(input.ticket === undefined ? {} : { ticket: input.ticket.trim() }),
    startedAt,
    endsAt,
    expiresAt,
    version: 1,
    writtenBy: by,
  }).go();
  await Promise.all(
    model
      .lineage(customerId)
      .map((listedAt) =>
        ImpersonationListingEntity.create({ listedAt, startedAt, impersonationId: id, customerId, expiresAt, writtenBy: by }).go(),
      ),
  );
  const token = await signImpersonationToken({ impersonationId: id, impersonatorId: userId, customerId, endsAt });
  const listedUnder = model.lineage(customerId);
  return () =>
    model.sessions.set(id, {
      id,
      customerId,
      impersonatorId: userId,
      impersonatorEmail: email,
      reason: input.reason.trim(),
      ticket: input.ticket?.trim() ?? null,
      startedAt,
      endsAt,
      endedAt: null,
      endReason: null,
      listedUnder,
      token,
      version: 1,
    });
};
