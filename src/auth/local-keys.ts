import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * Local mode's key material, kept in one file (LOCAL_KEYS_FILE, `.local/keys.json` by default)
 * and created on first use: the key of the local token issuer that `npm run token` signs with, and
 * the key that signs notifications. Every process on the machine (the service, the token tool,
 * tests) reads the same file, so a token minted by one is accepted by the other.
 */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as a JWK with kid, alg and use, as a JWKS publishes it. */
  readonly publicJwk: JWK;
}

export interface LocalKeys {
  readonly issuer: SigningKey;
  readonly notifications: SigningKey;
}

interface StoredKey {
  kid: string;
  jwk: JWK;
}
type KeyFile = Record<keyof LocalKeys, StoredKey>;

export const SIGNING_ALGORITHM = 'ES256';

async function newStoredKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  return { kid: randomUUID(), jwk: await exportJWK(privateKey) };
}

/** Creates the file if it is missing, atomically, so racing processes all end up with one key set. */
async function readOrCreate(file: string): Promise<KeyFile> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const fresh: KeyFile = { issuer: await newStoredKey(), notifications: await newStoredKey() };
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  try {
    linkSync(temp, file); // fails if another process created the file first; then theirs wins
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
}

async function toSigningKey({ kid, jwk }: StoredKey): Promise<SigningKey> {
  const { d: _private, ...publicJwk } = jwk;
  const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

const cache = new Map<string, Promise<LocalKeys>>();

export function localKeys(file: string): Promise<LocalKeys> {
  const resolved = path.resolve(file);
  let keys = cache.get(resolved);
  if (!keys) {
    keys = readOrCreate(resolved).then(async (stored) => ({
      issuer: await toSigningKey(stored.issuer),
      notifications: await toSigningKey(stored.notifications),
    }));
    cache.set(resolved, keys);
    keys.catch(() => cache.delete(resolved));
  }
  return keys;
}
