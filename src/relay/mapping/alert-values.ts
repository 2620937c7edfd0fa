import type { BoroMessage } from '../../contract/message.js';
import type { NormalizedAlert } from '../ingest/notification.js';

/**
 * Returns the alert's label of this name, or undefined when it is missing or empty. Only own
 * properties count, so a label named `constructor` is not mistaken for Object's.
 */
export function findLabel(alert: NormalizedAlert, name: string): string | undefined {
  return ownNonEmpty(alert.labels, name);
}

/** Returns the non-empty label of this name, else the non-empty annotation of this name. */
export function findLabelOrAnnotation(alert: NormalizedAlert, name: string): string | undefined {
  return ownNonEmpty(alert.labels, name) ?? ownNonEmpty(alert.annotations, name);
}

function ownNonEmpty(record: Record<string, string>, name: string): string | undefined {
  if (!Object.hasOwn(record, name)) return undefined;
  const value = record[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Parses a pid: a decimal integer becomes a number (`"256"` -> 256), other text stays as is (`"0x100"`). */
export function parsePid(text: string | undefined): BoroMessage['pid'] {
  if (text === undefined) return undefined;

  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

/** Returns the count when the text is a non-negative decimal integer, else undefined. */
export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;

  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;

  const count = Number(trimmed);
  return Number.isSafeInteger(count) ? count : undefined;
}

/** Returns the parsed JSON value, or undefined when the text is missing, not JSON, or `null`. */
export function parseJsonValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;

  try {
    return JSON.parse(text) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Returns the host name of a URL without port or IPv6 brackets, or undefined when it has none. */
export function hostnameOf(url: string | null): string | undefined {
  if (url === null) return undefined;

  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return undefined;
  }

  const unbracketed = hostname.replace(/^\[(.*)\]$/, '$1');
  return unbracketed === '' ? undefined : unbracketed;
}
