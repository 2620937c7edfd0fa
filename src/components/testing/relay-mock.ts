import { NEVER, of, throwError, type Observable } from 'rxjs';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { RELAY_PROXY_PATH } from '../../constants';

/** A mocked response: data with a status (an error when 400 or more), or a request that never completes. */
export type MockReply = { status?: number; data?: unknown } | 'pending';

type MockHandler = MockReply | ((request: BackendSrvRequest) => MockReply);

/**
 * Routes keyed by `METHOD path`: relay paths without the plugin-proxy prefix (`GET /api/v1/profiles`),
 * other Grafana paths in full (`POST /api/plugins/boro-webhook-app/settings`).
 */
export type MockRoutes = Record<string, MockHandler>;

function routeKey(request: BackendSrvRequest): string {
  const path = request.url.startsWith(RELAY_PROXY_PATH) ? request.url.slice(RELAY_PROXY_PATH.length) : request.url;
  return `${request.method ?? 'GET'} ${path}`;
}

/** Makes `fetchMock` respond like Grafana's backend service in front of the relay. Unrouted requests get 404. */
export function serveRelay(fetchMock: jest.Mock, routes: MockRoutes): void {
  fetchMock.mockImplementation((request: BackendSrvRequest): Observable<Partial<FetchResponse>> => {
    const handler = routes[routeKey(request)];
    const reply: MockReply =
      handler === undefined
        ? {
            status: 404,
            data: { error: { code: 'ROUTE_NOT_FOUND', message: `no mock route for ${routeKey(request)}` } },
          }
        : typeof handler === 'function'
          ? handler(request)
          : handler;

    if (reply === 'pending') {
      return NEVER;
    }
    const status = reply.status ?? 200;
    if (status >= 400) {
      return throwError(() => ({ status, statusText: '', data: reply.data ?? {}, config: request }));
    }
    return of({ status, ok: true, data: reply.data, config: request });
  });
}

/** Returns the requests that `fetchMock` received for `METHOD path`, in order. */
export function requestsTo(fetchMock: jest.Mock, key: string): BackendSrvRequest[] {
  return fetchMock.mock.calls
    .map(([request]) => request as BackendSrvRequest)
    .filter((request) => routeKey(request) === key);
}

/** Builds an error response as the relay sends it. */
export function relayError(status: number, code: string, message: string, field?: string): MockReply {
  return { status, data: { error: { code, message, ...(field ? { field } : {}) } } };
}
