// Test doubles for the Grafana services the data source uses. Only the Jest tests import this file.
import { of, throwError, type Observable } from 'rxjs';
import type { ScopedVars } from '@grafana/data';
import {
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';

export interface RecordedRequest {
  method: string;
  url: string;
  params: Record<string, unknown>;
}

export interface ProxyResponse {
  status: number;
  data: unknown;
  statusText?: string;
}

/** Returns a response with the relay's error body, as in src/contract/errors.ts. */
export function relayError(status: number, code: string, message: string): ProxyResponse {
  return { status, data: { error: { code, message } } };
}

/**
 * Stands in for Grafana's data source proxy and the relay behind it: `fetch` responds to each relay path
 * (`/api/v1/status`) from a table and records every request. Unknown paths get the relay's 404 body.
 */
export class FakeProxy {
  readonly requests: RecordedRequest[] = [];
  readonly #responses = new Map<string, ProxyResponse>();

  constructor(private readonly datasourceUid: string) {}

  respond(relayPath: string, response: ProxyResponse): this {
    this.#responses.set(relayPath, response);
    return this;
  }

  /** Returns the params of the recorded requests for one relay path. */
  paramsOf(relayPath: string): Array<Record<string, unknown>> {
    const url = this.urlOf(relayPath);
    return this.requests.filter((request) => request.url === url).map((request) => request.params);
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push({ method: options.method ?? 'GET', url: options.url, params: { ...options.params } });

    const prefix = this.urlOf('');
    const relayPath = options.url.startsWith(prefix) ? options.url.slice(prefix.length) : null;
    const response =
      relayPath === null
        ? { status: 404, data: { message: 'Data source not found' } }
        : (this.#responses.get(relayPath) ?? relayError(404, 'ROUTE_NOT_FOUND', `no route for GET ${relayPath}`));

    if (response.status >= 200 && response.status < 300) {
      return of({ data: response.data as T, status: response.status, ok: true, config: options } as FetchResponse<T>);
    }
    const error: FetchError = {
      status: response.status,
      statusText: response.statusText,
      data: response.data,
      config: options,
    };
    return throwError(() => error);
  }

  private urlOf(relayPath: string): string {
    return `/api/datasources/proxy/uid/${this.datasourceUid}/relay${relayPath}`;
  }
}

export function installFakeProxy(datasourceUid: string): FakeProxy {
  const proxy = new FakeProxy(datasourceUid);
  setBackendSrv(proxy as unknown as BackendSrv);
  return proxy;
}

/**
 * Installs a TemplateSrv that replaces `$name` and `${name}` with scoped variables first, then with the given
 * dashboard variables, and leaves unknown variables as they are (as Grafana does).
 */
export function installTemplateVariables(variables: Record<string, string>): void {
  const replace = (target?: string, scopedVars?: ScopedVars): string =>
    (target ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (match: string, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const scoped = scopedVars?.[name]?.value;
      if (typeof scoped === 'string') {
        return scoped;
      }
      return variables[name] ?? match;
    });

  const templateSrv: TemplateSrv = {
    getVariables: () => [],
    replace,
    containsTemplate: (target?: string) => /\$/.test(target ?? ''),
    updateTimeRange: () => undefined,
  };
  setTemplateSrv(templateSrv);
}
