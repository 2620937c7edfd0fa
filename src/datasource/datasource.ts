import {
  DataSourceApi,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import type { DeliveryList, ProfileStatus, StatsResult } from '../contract/delivery';
import type { Profile } from '../contract/profile';
import { toDeliveriesFrame, toDeliveryRateFrames, toProfilesStatusFrame } from './frames';
import { isHttpUrl } from './relay-url';
import { getFromRelay, toRelayRequestError, type QueryParams, type RelayRequestError } from './relay-proxy';
import {
  ALL_PROFILES,
  DEFAULT_DELIVERIES_LIMIT,
  DEFAULT_QUERY_TYPE,
  type BoroDataSourceOptions,
  type BoroQuery,
} from './types';

/** The smallest bucket of a delivery rate query, so that short ranges do not ask for 1-second buckets. */
export const MIN_STEP_SECONDS = 10;

/** The relay rejects stats requests with more buckets than this (src/relay/routes/deliveries.ts). */
export const MAX_STATS_BUCKETS = 11_000;

const TOKEN_HINT = "the relay's BORO_RELAY_API_TOKEN, or the api-token file in its data directory";

/**
 * Returns the bucket size of a delivery rate query: Grafana's interval for the panel, at least MIN_STEP_SECONDS,
 * and large enough to keep the range within MAX_STATS_BUCKETS buckets.
 */
export function stepSecondsFor(intervalMs: number, rangeMs: number): number {
  const fromInterval = Math.ceil(intervalMs / 1000);
  const fromBucketLimit = Math.ceil(rangeMs / 1000 / MAX_STATS_BUCKETS);
  return Math.max(MIN_STEP_SECONDS, fromInterval, fromBucketLimit);
}

function failure(message: string): TestDataSourceResponse {
  return { status: 'error', message };
}

/**
 * A frontend data source that reads the relay's delivery status, delivery log and delivery counts through Grafana's
 * data source proxy. Queries run in the browser; the proxy adds the API token on Grafana's server.
 */
export class BoroDataSource extends DataSourceApi<BoroQuery, BoroDataSourceOptions> {
  readonly relayUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<BoroDataSourceOptions>) {
    super(instanceSettings);
    this.relayUrl = instanceSettings.jsonData.relayUrl?.trim() ?? '';
  }

  getDefaultQuery(): Partial<BoroQuery> {
    return { queryType: DEFAULT_QUERY_TYPE };
  }

  filterQuery(query: BoroQuery): boolean {
    return query.hide !== true;
  }

  async query(request: DataQueryRequest<BoroQuery>): Promise<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    const results = await Promise.allSettled(targets.map((target) => this.runQuery(target, request)));

    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        data.push(...result.value);
        return;
      }
      const error = toRelayRequestError(result.reason);
      errors.push({ refId: targets[index]?.refId, message: describeQueryError(error), status: error.status });
    });

    return errors.length === 0 ? { data } : { data, errors };
  }

  /** Options of a dashboard variable: every profile, by name, with its uid as the value. */
  async metricFindQuery(): Promise<MetricFindValue[]> {
    let profiles: ProfileStatus[];
    try {
      profiles = (await getFromRelay<{ profiles: ProfileStatus[] }>(this.uid, '/api/v1/status')).profiles;
    } catch (error) {
      throw new Error(describeQueryError(toRelayRequestError(error)));
    }
    return profiles.map((profile) => ({ text: profile.name, value: profile.uid }));
  }

  interpolateVariablesInQueries(queries: BoroQuery[], scopedVars: ScopedVars): BoroQuery[] {
    return queries.map((query) => ({ ...query, profile: this.interpolateProfile(query.profile, scopedVars) }));
  }

  /** Checks that Grafana reaches the relay (`/readyz`) and that the relay accepts the API token (`/api/v1/profiles`). */
  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.relayUrl === '') {
      return failure(
        'The relay URL is missing: enter the URL at which the Grafana server reaches the relay, for example http://relay:8686, and save.'
      );
    }
    if (!isHttpUrl(this.relayUrl)) {
      return failure(
        `The relay URL '${this.relayUrl}' is not an http or https URL: enter one such as http://relay:8686 and save.`
      );
    }

    let version: string;
    try {
      version = (await getFromRelay<{ status: string; version: string }>(this.uid, '/readyz')).version;
    } catch (error) {
      return failure(this.describeReadinessError(toRelayRequestError(error)));
    }

    let profileCount: number;
    try {
      profileCount = (await getFromRelay<{ profiles: Profile[] }>(this.uid, '/api/v1/profiles')).profiles.length;
    } catch (error) {
      return failure(describeTokenCheckError(toRelayRequestError(error)));
    }

    const profiles = profileCount === 1 ? '1 profile' : `${profileCount} profiles`;
    return {
      status: 'success',
      message: `Connected to relay ${version} at ${this.relayUrl}; it accepts the API token and has ${profiles}.`,
    };
  }

  private async runQuery(query: BoroQuery, request: DataQueryRequest<BoroQuery>): Promise<DataFrame[]> {
    const queryType = query.queryType ?? DEFAULT_QUERY_TYPE;
    const profile = this.interpolateProfile(query.profile, request.scopedVars);
    const fromMs = request.range.from.valueOf();
    const toMs = request.range.to.valueOf();

    switch (queryType) {
      case 'profilesStatus': {
        const body = await getFromRelay<{ profiles: ProfileStatus[] }>(this.uid, '/api/v1/status');
        const rows = profile === undefined ? body.profiles : body.profiles.filter((row) => row.uid === profile);
        return [toProfilesStatusFrame(rows, query.refId)];
      }

      case 'deliveries': {
        const limit = query.limit ?? DEFAULT_DELIVERIES_LIMIT;
        const params: QueryParams = { from: fromMs, to: toMs, profile, state: query.state, limit };
        const list = await getFromRelay<DeliveryList>(this.uid, '/api/v1/deliveries', params);
        return [toDeliveriesFrame(list, query.refId)];
      }

      case 'deliveryRate': {
        const stepSeconds = stepSecondsFor(request.intervalMs ?? 0, toMs - fromMs);
        const params: QueryParams = { from: fromMs, to: toMs, stepSeconds, profile };
        const stats = await getFromRelay<StatsResult>(this.uid, '/api/v1/stats', params);
        const buckets =
          query.outcome === undefined ? stats.buckets : stats.buckets.filter((b) => b.outcome === query.outcome);
        return toDeliveryRateFrames({ ...stats, buckets }, query.refId);
      }

      default:
        throw new Error(`query type '${String(queryType)}' is unknown; use profilesStatus, deliveries or deliveryRate`);
    }
  }

  /** Replaces template variables in the profile filter; returns undefined when the filter selects every profile. */
  private interpolateProfile(profile: string | undefined, scopedVars: ScopedVars): string | undefined {
    const value = getTemplateSrv()
      .replace(profile ?? '', scopedVars)
      .trim();
    return value === '' || value === ALL_PROFILES ? undefined : value;
  }

  private describeReadinessError(error: RelayRequestError): string {
    if (error.code === 'NOT_READY') {
      return `The relay at ${this.relayUrl} is running but not ready: ${error.message}.`;
    }
    if (error.source === 'unreachable') {
      return (
        `Grafana cannot reach the relay at ${this.relayUrl} (${error.detail}). ` +
        'Check the relay URL and that the relay is running and reachable from the Grafana server.'
      );
    }
    if (error.status === 404) {
      return `${this.relayUrl}/readyz answered HTTP 404: the relay URL does not point at a Boro Webhook relay.`;
    }
    return `The readiness check of the relay at ${this.relayUrl} failed: ${error.message}.`;
  }
}

function describeTokenCheckError(error: RelayRequestError): string {
  if (error.code === 'AUTH_REQUIRED') {
    return `The relay requires an API token: enter ${TOKEN_HINT}, and save.`;
  }
  if (error.code === 'AUTH_INVALID') {
    return `The relay rejected the API token: enter the current token (${TOKEN_HINT}), and save.`;
  }
  if (error.source === 'grafana' && error.status === 403) {
    return `Grafana denied the request for the relay's profiles, which only Org Admins may read (${error.detail}).`;
  }
  return `Reading the profiles from the relay failed: ${error.message}.`;
}

/** Message of a failed panel query, which Viewers see too: it names the fix and who can apply it. */
function describeQueryError(error: RelayRequestError): string {
  if (error.tokenRejected) {
    return `The relay rejected the data source's API token (${error.message}); an Org Admin must enter ${TOKEN_HINT} in the data source settings.`;
  }
  if (error.source === 'unreachable') {
    return `${error.message}; check the relay URL in the data source settings and that the relay is running.`;
  }
  return error.message;
}
