import type { ProfileRecord } from '../profiles/profile-record.js';

const REDACTED = '[redacted]';

/** Values of a profile that must never be stored or logged: its key, its header values and its URL's path. */
export function secretValuesOf(profile: ProfileRecord): string[] {
  const values = profile.headers.map((header) => header.value);
  if (profile.secretKey !== null) values.push(profile.secretKey);

  const url = new URL(profile.url);
  if (url.pathname.length > 1) values.push(url.pathname, url.pathname.slice(1));
  if (url.search.length > 1) values.push(url.search.slice(1));

  // Short values would blank out ordinary words of a response body.
  return values.filter((value) => value.length >= 6);
}

/** Replaces every occurrence of a secret value in a text (a response excerpt or an error) with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
  }
  return scrubbed;
}
