import { RelayError } from '../errors.js';

/** Reads an optional integer query parameter within bounds, or throws REQUEST_INVALID naming it. */
export function readIntegerParam(
  query: Record<string, string | undefined>,
  name: string,
  bounds: { min: number; max: number; fallback?: number },
): number | undefined {
  const text = query[name];
  if (text === undefined || text === '') return bounds.fallback;

  const value = Number(text);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new RelayError('REQUEST_INVALID', `${name} must be an integer from ${bounds.min} to ${bounds.max}, got '${text}'`, name);
  }
  return value;
}

/** Reads an optional time query parameter: epoch milliseconds (as Grafana sends) or an RFC 3339 timestamp. */
export function readTimeParam(query: Record<string, string | undefined>, name: string): number | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;

  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new RelayError('REQUEST_INVALID', `${name} must be epoch milliseconds or an RFC 3339 timestamp, got '${text}'`, name);
  }
  return value;
}
