import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { ErrorBody } from '../contract/errors';

/** Statuses with which Grafana's proxy responds when it cannot reach the relay or the relay times out. */
const UNREACHABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Origin of a RelayRequestError: the relay (with its error body), Grafana's proxy because the relay did not
 * respond, Grafana for another reason (route denied, data source not found), or the browser before any response.
 */
export type RelayErrorSource = 'relay' | 'unreachable' | 'grafana' | 'browser';

/**
 * A failed request to the relay. `code` is the relay's error code when the relay responded with its error body.
 * `detail` is the HTTP status and Grafana's message when Grafana responded instead.
 */
export class RelayRequestError extends Error {
  readonly status: number;
  readonly source: RelayErrorSource;
  readonly code: string | null;
  readonly detail: string;

  constructor(status: number, message: string, source: RelayErrorSource, code: string | null = null, detail = '') {
    super(message);
    this.name = 'RelayRequestError';
    this.status = status;
    this.source = source;
    this.code = code;
    this.detail = detail;
  }

  get tokenRejected(): boolean {
    return this.code === 'AUTH_REQUIRED' || this.code === 'AUTH_INVALID';
  }
}

export type QueryParams = Record<string, string | number | undefined>;

function isErrorBody(data: unknown): data is ErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    'error' in data &&
    typeof (data as ErrorBody).error?.message === 'string'
  );
}

function grafanaMessage(data: unknown, statusText: string | undefined): string {
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return statusText ?? '';
}

/** Turns whatever getBackendSrv().fetch threw into a RelayRequestError that keeps the relay's code and message. */
export function toRelayRequestError(error: unknown): RelayRequestError {
  if (error instanceof RelayRequestError) {
    return error;
  }
  if (!isFetchError(error)) {
    const message = error instanceof Error ? error.message : 'the request to the relay failed';
    return new RelayRequestError(0, message, 'browser');
  }

  if (isErrorBody(error.data)) {
    const { code, message } = error.data.error;
    return new RelayRequestError(error.status, message, 'relay', code);
  }

  const message = grafanaMessage(error.data, error.statusText);
  const detail = `HTTP ${error.status}${message === '' ? '' : ` ${message}`}`;
  if (UNREACHABLE_STATUSES.has(error.status)) {
    return new RelayRequestError(
      error.status,
      `Grafana cannot reach the relay: ${detail}`,
      'unreachable',
      null,
      detail
    );
  }
  if (error.status === 0) {
    return new RelayRequestError(0, `the request did not reach Grafana: ${detail}`, 'browser', null, detail);
  }
  return new RelayRequestError(error.status, `Grafana responded with ${detail}`, 'grafana', null, detail);
}

/**
 * Sends a GET request to the relay through Grafana's data source proxy
 * (`/api/datasources/proxy/uid/<uid>/relay/...`). The proxy adds the API token from the data source's
 * secureJsonData, so the token never reaches the browser. The routes in this data source's plugin.json
 * forward only GET requests. Every user who may query the data source reaches the read-only paths
 * (readiness, status, deliveries, stats), and only Org Admins reach the profiles list. So a Viewer
 * cannot change the relay through them.
 */
export async function getFromRelay<T>(datasourceUid: string, path: string, params: QueryParams = {}): Promise<T> {
  const query = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== ''));

  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method: 'GET',
        url: `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/relay${path}`,
        params: query,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (error) {
    throw toRelayRequestError(error);
  }
}
