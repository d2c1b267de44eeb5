import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The local runtime's own secrets: the dev key that signs `/local/token`
 * tokens, the HMAC key of list cursors and the one that signs impersonation tokens. They live in memory unless a
 * DATA_DIR keeps the data, and then in that folder too, so tokens and cursors
 * stay valid across restarts just as the data does.
 */
export interface LocalSecrets {
  signingJwk: JWK;
  publicJwk: JWK;
  cursorKey: string;
  impersonationKey: string;
}

const fileName = 'local-secrets.json';

const generate = async (): Promise<LocalSecrets> => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `local-${randomBytes(4).toString('hex')}`;
  return {
    signingJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    cursorKey: randomBytes(32).toString('base64url'),
    impersonationKey: randomBytes(32).toString('base64url'),
  };
};

const isSecrets = (value: unknown): value is LocalSecrets => {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.signingJwk === 'object' &&
    typeof record.publicJwk === 'object' &&
    typeof record.cursorKey === 'string' &&
    typeof record.impersonationKey === 'string'
  );
};

const readSaved = async (path: string): Promise<LocalSecrets | undefined> => {
  try {
    const saved: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isSecrets(saved) ? saved : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

// The authorizer and the cursor module keep the first key they see for the life of the
// process, so without a DATA_DIR one process keeps one set, however often the runtime restarts.
let inMemory: Promise<LocalSecrets> | undefined;

export const loadLocalSecrets = async (dataDir?: string): Promise<LocalSecrets> => {
  if (!dataDir) {
    inMemory ??= generate();
    return inMemory;
  }
  const path = join(dataDir, fileName);
  const saved = await readSaved(path);
  if (saved) return saved;
  const secrets = await generate();
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
};
