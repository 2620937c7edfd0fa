import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
// The contract's files are imported one by one: its index re-exports with `.js` paths that only Node resolves.
import type { DeliveryDetail, DeliveryList, DeliveryState, ProfileStatus, StatsResult, TestMessageResult } from '../contract/delivery';
import type { ErrorBody } from '../contract/errors';
import type { Profile, ProfileInput } from '../contract/profile';
import { RELAY_PROXY_PATH } from '../constants';

/** An error response of the relay (or of Grafana's proxy in front of it), with the field it names. */
export class RelayApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly field: string | null;

  constructor(status: number, message: string, code: string | null = null, field: string | null = null) {
    super(message);
    this.name = 'RelayApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Returns the error as a RelayApiError, wrapping anything else (a bug in the page) with its message. */
export function asRelayApiError(error: unknown): RelayApiError {
  if (error instanceof RelayApiError) {
    return error;
  }
  return new RelayApiError(0, error instanceof Error ? error.message : String(error));
}

function isErrorBody(data: unknown): data is ErrorBody {
  return typeof data === 'object' && data !== null && 'error' in data && typeof (data as ErrorBody).error?.message === 'string';
}

/** Turns a failed fetch into a RelayApiError whose message a person can act on. */
function toRelayApiError(error: unknown): RelayApiError {
  if (!isFetchError(error)) {
    return new RelayApiError(0, error instanceof Error ? error.message : 'the request to the relay failed');
  }
  if (isErrorBody(error.data)) {
    const { code, message, field } = error.data.error;
    return new RelayApiError(error.status, message, code, field ?? null);
  }
  if (error.status === 502 || error.status === 504 || error.status === 0) {
    return new RelayApiError(error.status, 'the relay is unreachable from Grafana; check the relay URL on the plugin configuration page');
  }
  const grafanaMessage = typeof error.data?.message === 'string' ? error.data.message : error.statusText;
  return new RelayApiError(error.status, `the relay request failed with HTTP ${error.status}${grafanaMessage ? `: ${grafanaMessage}` : ''}`);
}

async function request<T>(method: string, path: string, body?: unknown, params?: Record<string, string | number | undefined>): Promise<T> {
  const query = Object.fromEntries(Object.entries(params ?? {}).filter(([, value]) => value !== undefined && value !== ''));
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method,
        url: `${RELAY_PROXY_PATH}${path}`,
        data: body,
        params: query,
        showErrorAlert: false,
        showSuccessAlert: false,
      }),
    );
    return response.data;
  } catch (error) {
    throw toRelayApiError(error);
  }
}

export interface DeliveryFilter {
  profile?: string;
  state?: DeliveryState;
  from?: number;
  to?: number;
  limit?: number;
  before?: string;
}

/** The relay's management API, reached through Grafana's plugin proxy, so the token never reaches the browser. */
export const relayClient = {
  health: () => request<{ status: string; version: string }>('GET', '/healthz'),
  readiness: () => request<{ status: string; version: string }>('GET', '/readyz'),
  listProfiles: () => request<{ profiles: Profile[] }>('GET', '/api/v1/profiles').then((body) => body.profiles),
  getProfile: (uid: string) => request<Profile>('GET', `/api/v1/profiles/${encodeURIComponent(uid)}`),
  createProfile: (input: ProfileInput) => request<Profile>('POST', '/api/v1/profiles', input),
  updateProfile: (uid: string, input: ProfileInput) => request<Profile>('PUT', `/api/v1/profiles/${encodeURIComponent(uid)}`, input),
  deleteProfile: (uid: string) => request<void>('DELETE', `/api/v1/profiles/${encodeURIComponent(uid)}`),
  generateSecret: (uid: string) => request<{ secretKey: string }>('POST', `/api/v1/profiles/${encodeURIComponent(uid)}/secret`),
  sendTestMessage: (uid: string) => request<TestMessageResult>('POST', `/api/v1/profiles/${encodeURIComponent(uid)}/test`),
  listDeliveries: (filter: DeliveryFilter = {}) =>
    request<DeliveryList>('GET', '/api/v1/deliveries', undefined, { ...filter }),
  getDelivery: (id: number) => request<DeliveryDetail>('GET', `/api/v1/deliveries/${id}`),
  retryDelivery: (id: number) => request<DeliveryDetail>('POST', `/api/v1/deliveries/${id}/retry`),
  status: () => request<{ profiles: ProfileStatus[] }>('GET', '/api/v1/status').then((body) => body.profiles),
  stats: (params: { from: number; to: number; stepSeconds: number; profile?: string }) =>
    request<StatsResult>('GET', '/api/v1/stats', undefined, params),
};
