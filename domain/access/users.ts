import type { TransactionEntities } from '../db/service.ts';
import type { WrittenBy } from '../db/written-by.ts';
import { ConflictError } from '../shared/errors.ts';
import { UserEmailEntity, UserEntity, type UserItem } from './user.entity.ts';

/** Email → user id never changes once written, so each container may keep what it has read. */
const idByEmail = new Map<string, string>();
const cacheLimit = 10_000;

/**
 * Resolves a verified email to its user id, or null when nobody by that email
 * has been invited yet. One GetItem on a cache miss.
 */
export const findUserIdByEmail = async (email: string): Promise<string | null> => {
  const normalised = email.trim().toLowerCase();
  const cached = idByEmail.get(normalised);
  if (cached) return cached;
  const { data } = await UserEmailEntity.get({ email: normalised }).go();
  if (!data) return null;
  if (idByEmail.size >= cacheLimit) idByEmail.clear();
  idByEmail.set(normalised, data.userId);
  return data.userId;
};

export const getUser = async (userId: string): Promise<UserItem | null> => (await UserEntity.get({ userId }).go()).data;

/**
 * The writes that bring a new person in, for a transaction that adds their
 * first grant: the email's claim (a condition: it fails when someone claimed
 * the email meanwhile, see `invitedMeanwhile`) and the user, invited. None
 * when the email already belongs to a user.
 */
export const newUserWrites = (
  tx: Pick<TransactionEntities, 'user' | 'userEmail'>,
  person: { userId: string; email: string },
  known: boolean,
  by: WrittenBy,
) => {
  if (known) return [];
  const { userId, email } = person;
  return [
    tx.userEmail.create({ email, userId, writtenBy: by }).commit(),
    tx.user.create({ userId, email, status: 'invited', createdAt: by.at, updatedAt: by.at, version: 1, writtenBy: by }).commit(),
  ];
};

/** The answer when the email's claim failed: someone brought the same person in at the same moment. */
export const invitedMeanwhile = (): ConflictError => new ConflictError('Someone invited this email at the same moment; try again');
