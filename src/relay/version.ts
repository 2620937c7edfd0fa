import { readFileSync } from 'node:fs';

/** The relay's version, read from package.json (two levels up from both src/relay and build/relay). */
export const RELAY_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const DEFAULT_USER_AGENT = `boro-webhook-relay/${RELAY_VERSION}`;
