import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RelayError } from '../errors.js';

export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';
export const GRAFANA_TIMESTAMP_HEADER = 'x-grafana-alerting-timestamp';

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies the HMAC-SHA256 that a Grafana webhook contact point with an HMAC secret sends: hex of
 * the HMAC of the raw body, or of `<timestamp>:<body>` when the timestamp header is present.
 */
export function verifyGrafanaSignature(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string): void {
  const signature = firstValue(headers[GRAFANA_SIGNATURE_HEADER]);
  if (!signature) {
    throw new RelayError(
      'SIGNATURE_INVALID',
      'the X-Grafana-Alerting-Signature header is missing: set the HMAC secret of the contact point to BORO_RELAY_GRAFANA_HMAC_SECRET',
      'X-Grafana-Alerting-Signature',
    );
  }

  const timestamp = firstValue(headers[GRAFANA_TIMESTAMP_HEADER]);
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}:`);
  hmac.update(rawBody);

  const expected = hmac.digest();
  const received = /^[0-9a-fA-F]{64}$/.test(signature.trim()) ? Buffer.from(signature.trim(), 'hex') : Buffer.alloc(0);
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new RelayError(
      'SIGNATURE_INVALID',
      'the X-Grafana-Alerting-Signature header does not match the body: check that the contact point and BORO_RELAY_GRAFANA_HMAC_SECRET use the same secret',
      'X-Grafana-Alerting-Signature',
    );
  }
}
