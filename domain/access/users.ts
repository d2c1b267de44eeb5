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
