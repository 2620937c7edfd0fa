import { dateMath, dateTime, rangeUtil, type TimeRange } from '@grafana/data';
import type { DeliveryFilter } from '../../api/relay-client';
import type { DeliveryState } from '../../contract/delivery';

/** Rows fetched per page of the delivery log. */
export const DELIVERY_PAGE_SIZE = 50;

export interface DeliveryFilters {
  /** Uid of the profile to show, or null for all profiles. */
  profileUid: string | null;
  state: DeliveryState | null;
  /** The creation-time range, or an empty range (both ends invalid) for any time. */
  timeRange: TimeRange;
}

/** Returns a range whose ends are invalid dates, which TimeRangeInput shows as its placeholder. */
export function anyTimeRange(): TimeRange {
  const from = dateTime(null);
  const to = dateTime(null);
  return { from, to, raw: { from, to } };
}

export function isAnyTime(range: TimeRange): boolean {
  return !dateMath.isValid(range.from) || !dateMath.isValid(range.to);
}

/**
 * Turns the filters into query parameters of `GET /api/v1/deliveries`, with times in epoch milliseconds.
 * A relative range such as "Last 1 hour" is resolved now, so later pages of the same listing use the
 * same bounds.
 */
export function toDeliveryQuery(filters: DeliveryFilters): DeliveryFilter {
  const query: DeliveryFilter = { limit: DELIVERY_PAGE_SIZE };
  if (filters.profileUid) {
    query.profile = filters.profileUid;
  }
  if (filters.state) {
    query.state = filters.state;
  }
  if (!isAnyTime(filters.timeRange)) {
    const resolved = rangeUtil.convertRawToRange(filters.timeRange.raw);
    query.from = resolved.from.valueOf();
    query.to = resolved.to.valueOf();
  }
  return query;
}
