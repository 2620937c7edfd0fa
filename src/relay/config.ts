import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';

/** SQLite `synchronous` setting: FULL survives a power loss, NORMAL survives a process crash and is faster. */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface RelayConfig {
  host: string;
  port: number;
  dataDir: string;
  /** `sqlite:<path>` for the embedded store, or a `postgres://` URL. */
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  apiToken: string;
  ingestToken: string;
  /** 32 bytes that encrypt profile secrets at rest (AES-256-GCM). */
  encryptionKey: Buffer;
  profilesDir: string;
  grafanaUrl: string | null;
  blockedNetworks: string | undefined;
  allowedNetworks: string | undefined;
  maxBodyBytes: number;
  retentionDays: number;
  grafanaHmacSecret: string | null;
  logLevel: string;
  /** Deliveries in flight at once across all profiles. */
  workerConcurrency: number;
  /** Deliveries in flight at once for one profile; 1 keeps each receiver's messages in sequence order. */
  profileConcurrency: number;
  /** Files whose contents were generated at start, to be logged by path (never by value). */
  generatedFiles: string[];
}

/** Raised for an invalid environment variable; the message names it, the value and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;

  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

function readOptional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name];
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/** Reads a token from the environment, else from its file in the data dir, else generates that file (mode 600). */
function resolveSecretFile(
  env: NodeJS.ProcessEnv,
  name: string,
  file: string,
  generate: () => string,
  generatedFiles: string[],
): string {
  const fromEnv = readOptional(env, name);
  if (fromEnv !== undefined) return fromEnv;

  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored !== '') return stored;
  }

  const value = generate();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  generatedFiles.push(file);
  return value;
}

function parseEncryptionKey(text: string, source: string): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : null;
  if (hex) return hex;

  const base64 = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : null;
  if (base64 && base64.length === 32) return base64;

  throw new ConfigError(
    `${source} must be a 32-byte key as 64 hex digits or 44 base64 characters; generate one with 'openssl rand -hex 32'`,
  );
}

function parseUrl(name: string, text: string | undefined): string | null {
  if (text === undefined) return null;

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an http or https URL, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http or https URL, got '${text}'`);
  }
  return text.replace(/\/+$/, '');
}

/** Builds the relay configuration from environment variables, creating the data dir and generated tokens. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): RelayConfig {
  const generatedFiles: string[] = [];
  const dataDirText = readOptional(env, 'BORO_RELAY_DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirText) ? dataDirText : resolve(cwd, dataDirText);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const databaseUrl = readOptional(env, 'BORO_RELAY_DATABASE_URL') ?? `sqlite:${join(dataDir, 'relay.sqlite')}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      `BORO_RELAY_DATABASE_URL must start with 'postgres://' or 'sqlite:', got '${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}'`,
    );
  }

  const synchronous = (readOptional(env, 'BORO_RELAY_SQLITE_SYNCHRONOUS') ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError(`BORO_RELAY_SQLITE_SYNCHRONOUS must be FULL or NORMAL, got '${synchronous}'`);
  }

  const newToken = () => randomBytes(24).toString('base64url');
  const apiToken = resolveSecretFile(env, 'BORO_RELAY_API_TOKEN', join(dataDir, 'api-token'), newToken, generatedFiles);
  const ingestToken = resolveSecretFile(
    env,
    'BORO_RELAY_INGEST_TOKEN',
    join(dataDir, 'ingest-token'),
    newToken,
    generatedFiles,
  );
  const keyText = resolveSecretFile(
    env,
    'BORO_RELAY_ENCRYPTION_KEY',
    join(dataDir, 'encryption-key'),
    () => randomBytes(32).toString('hex'),
    generatedFiles,
  );
  const keySource = readOptional(env, 'BORO_RELAY_ENCRYPTION_KEY') ? 'BORO_RELAY_ENCRYPTION_KEY' : join(dataDir, 'encryption-key');

  const logLevel = readOptional(env, 'BORO_RELAY_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`BORO_RELAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  }

  const profilesDirText = readOptional(env, 'BORO_RELAY_PROFILES_DIR') ?? './provisioning/profiles';

  return {
    host: readOptional(env, 'BORO_RELAY_HOST') ?? '127.0.0.1',
    port: readInteger(env, 'BORO_RELAY_PORT', 8686, 0, 65535),
    dataDir,
    databaseUrl,
    sqliteSynchronous: synchronous,
    apiToken,
    ingestToken,
    encryptionKey: parseEncryptionKey(keyText, keySource),
    profilesDir: isAbsolute(profilesDirText) ? profilesDirText : resolve(cwd, profilesDirText),
    grafanaUrl: parseUrl('BORO_RELAY_GRAFANA_URL', readOptional(env, 'BORO_RELAY_GRAFANA_URL')),
    blockedNetworks: readOptional(env, 'BORO_RELAY_BLOCKED_NETWORKS'),
    allowedNetworks: readOptional(env, 'BORO_RELAY_ALLOWED_NETWORKS'),
    maxBodyBytes: readInteger(env, 'BORO_RELAY_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    retentionDays: readInteger(env, 'BORO_RELAY_RETENTION_DAYS', 7, 1, 3650),
    grafanaHmacSecret: readOptional(env, 'BORO_RELAY_GRAFANA_HMAC_SECRET') ?? null,
    logLevel,
    workerConcurrency: readInteger(env, 'BORO_RELAY_WORKER_CONCURRENCY', 32, 1, 1024),
    profileConcurrency: readInteger(env, 'BORO_RELAY_PROFILE_CONCURRENCY', 1, 1, 64),
    generatedFiles,
  };
}
