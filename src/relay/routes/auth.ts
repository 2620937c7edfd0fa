import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { RelayError } from '../errors.js';

/** Compares two tokens in constant time (over their SHA-256 digests, so lengths leak nothing either). */
export function tokensEqual(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Reads the token of a request: a Bearer token, or the password of Basic auth. */
export function readCredential(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;

  const [scheme, value] = header.split(/\s+/, 2);
  if (!scheme || value === undefined) return null;

  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  }
  return null;
}

/** Throws AUTH_REQUIRED or AUTH_INVALID unless the request carries `expected`. */
export function requireToken(request: FastifyRequest, expected: string, kind: 'API' | 'ingest'): void {
  const received = readCredential(request);
  if (received === null && request.headers.authorization) {
    throw new RelayError(
      'AUTH_REQUIRED',
      `the Authorization header must be 'Bearer <${kind} token>' or Basic auth with the token as password`,
      'Authorization',
    );
  }
  if (received === null) {
    const how = kind === 'API' ? "'Authorization: Bearer <api token>'" : "'Authorization: Bearer <ingest token>' or Basic auth with the ingest token as password";
    throw new RelayError('AUTH_REQUIRED', `the ${kind} token is missing: send ${how}`, 'Authorization');
  }
  if (!tokensEqual(received, expected)) {
    throw new RelayError('AUTH_INVALID', `the ${kind} token is wrong; check the token file or variable the relay logged at start`, 'Authorization');
  }
}
