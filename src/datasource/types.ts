import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
// The contract's files are imported one by one: its index re-exports with `.js` paths that only Node resolves.
import type { DeliveryState, StatsOutcome } from '../contract/delivery';

export type QueryType = 'profilesStatus' | 'deliveries' | 'deliveryRate';

export const QUERY_TYPE_LABELS: Record<QueryType, string> = {
  profilesStatus: 'Profiles status',
  deliveries: 'Deliveries',
  deliveryRate: 'Delivery rate',
};

export const DEFAULT_QUERY_TYPE: QueryType = 'profilesStatus';

/** Rows that a deliveries query requests when it sets no limit. The relay returns at most 1000. */
export const DEFAULT_DELIVERIES_LIMIT = 100;

export const MAX_DELIVERIES_LIMIT = 1000;

/** Filter value that selects every profile, for example the All option of a dashboard variable. */
export const ALL_PROFILES = '*';

export interface BoroQuery extends DataQuery {
  queryType?: QueryType;
  /** Profile uid to filter on. May contain template variables; empty or `*` selects every profile. */
  profile?: string;
  /** Deliveries query: only deliveries in this state. */
  state?: DeliveryState;
  /** Deliveries query: the maximum number of rows, newest first. */
  limit?: number;
  /** Delivery rate query: only this outcome. */
  outcome?: StatsOutcome;
}

/** Settings of a data source instance that the browser can read. */
export interface BoroDataSourceOptions extends DataSourceJsonData {
  /** Base URL of the relay as Grafana's server reaches it, for example `http://relay:8686`. */
  relayUrl?: string;
}

/** Write-only settings: Grafana stores them encrypted and adds them to proxied requests. */
export interface BoroSecureJsonData {
  apiToken?: string;
}
