import { Observable, lastValueFrom, throwError } from 'rxjs';
import { urlUtil } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

/**
 * Creates a BackendSrv over window.fetch with the parts of Grafana's own (13.x) that plugin code relies on.
 * `params` are serialised and appended to the URL, leaving out undefined and empty values. An object body
 * is sent as JSON. A response body is parsed as JSON when it parses and kept as text otherwise. A non-2xx
 * response errors the Observable with a FetchError `{status, statusText, data, config}`.
 * Grafana's alerts (`showErrorAlert`, `showSuccessAlert`), retries and request cancellation by id are left out.
 */
export function createFetchBackendSrv(): BackendSrv {
  const request = <T,>(options: BackendSrvRequest): Promise<T> =>
    lastValueFrom(fetchObservable<T>(options)).then((response) => response.data);

  return {
    fetch: fetchObservable,
    datasourceRequest: <T,>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    request,
    get: (url, params, _requestId, options) => request({ ...options, url, params, method: 'GET' }),
    delete: (url, data, options) => request({ ...options, url, data, method: 'DELETE' }),
    post: (url, data, options) => request({ ...options, url, data, method: 'POST' }),
    put: (url, data, options) => request({ ...options, url, data, method: 'PUT' }),
    patch: (url, data, options) => request({ ...options, url, data, method: 'PATCH' }),
    chunked: () => throwError(() => new Error('chunked requests are not supported by the browser test host')),
  };
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();

    sendRequest<T>(options, controller.signal).then(
      (response) => {
        if (response.ok) {
          subscriber.next(response);
          subscriber.complete();
          return;
        }
        const error: FetchError = { status: response.status, statusText: response.statusText, data: response.data, config: options };
        subscriber.error(error);
      },
      (cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause);
        const error: FetchError = { status: 0, statusText: message, data: { message }, config: options, cancelled: controller.signal.aborted };
        subscriber.error(error);
      },
    );

    return () => controller.abort();
  });
}

async function sendRequest<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<FetchResponse<T>> {
  const headers = new Headers({ Accept: 'application/json, text/plain, */*', ...options.headers });
  const body = encodeBody(options.data, headers);

  const response = await window.fetch(urlWithParams(options), {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: options.credentials ?? 'same-origin',
    signal: options.abortSignal ?? signal,
  });
  const data = (await parseBody(response, options.responseType)) as T;

  return {
    data,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
}

function urlWithParams(options: BackendSrvRequest): string {
  const params = Object.fromEntries(
    Object.entries(options.params ?? {}).filter(([, value]) => value !== undefined && !(value !== null && value.length === 0)),
  );
  const query = urlUtil.serializeParams(params);
  if (query === '') {
    return options.url;
  }
  return `${options.url}${options.url.includes('?') ? '&' : '?'}${query}`;
}

function encodeBody(data: unknown, headers: Headers): BodyInit | undefined {
  if (data === undefined || data === null) {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof FormData || data instanceof Blob || data instanceof URLSearchParams) {
    return data;
  }
  if (!headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  return JSON.stringify(data);
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  switch (responseType) {
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'blob':
      return response.blob();
    case 'text':
      return response.text();
    default: {
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
  }
}
