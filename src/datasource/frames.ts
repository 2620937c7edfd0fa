import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { DeliveryList, ProfileStatus, StatsOutcome, StatsResult } from '../contract/delivery';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';

const OUTCOME_ORDER: readonly StatsOutcome[] = ['delivered', 'retried', 'failed'];

/** Epoch milliseconds of an RFC 3339 timestamp, as Grafana expects in time fields; null stays null. */
function toEpochMs(timestamp: string | null): number | null {
  return timestamp === null ? null : Date.parse(timestamp);
}

/** Builds a table of the relay's per-profile delivery status (`GET /api/v1/status`), one row per profile. */
export function toProfilesStatusFrame(profiles: ProfileStatus[], refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'Profiles status',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      {
        name: 'uid',
        type: FieldType.string,
        values: profiles.map((profile) => profile.uid),
        config: {
          displayName: 'Profile',
          // The editor page is an Org Admin page of the app; other users get Grafana's access denied page.
          links: [
            { title: 'Open profile', url: `${PLUGIN_BASE_URL}/${ROUTES.Profiles}/` + '${__value.raw:percentencode}' },
          ],
        },
      },
      {
        name: 'name',
        type: FieldType.string,
        values: profiles.map((profile) => profile.name),
        config: { displayName: 'Name' },
      },
      {
        name: 'enabled',
        type: FieldType.boolean,
        values: profiles.map((profile) => profile.enabled),
        config: { displayName: 'Enabled' },
      },
      {
        name: 'kind',
        type: FieldType.string,
        values: profiles.map((profile) => profile.kind),
        config: { displayName: 'Kind' },
      },
      {
        name: 'lastState',
        type: FieldType.string,
        values: profiles.map((profile) => profile.lastState),
        config: { displayName: 'Last state' },
      },
      {
        name: 'lastDeliveryAt',
        type: FieldType.time,
        values: profiles.map((profile) => toEpochMs(profile.lastDeliveryAt)),
        config: { displayName: 'Last delivery' },
      },
      {
        name: 'lastError',
        type: FieldType.string,
        values: profiles.map((profile) => profile.lastError),
        config: { displayName: 'Last error' },
      },
      {
        name: 'delivered24h',
        type: FieldType.number,
        values: profiles.map((profile) => profile.delivered24h),
        config: { displayName: 'Delivered (24 h)' },
      },
      {
        name: 'failed24h',
        type: FieldType.number,
        values: profiles.map((profile) => profile.failed24h),
        config: { displayName: 'Failed (24 h)' },
      },
      {
        name: 'pending',
        type: FieldType.number,
        values: profiles.map((profile) => profile.pending),
        config: { displayName: 'Pending' },
      },
      {
        name: 'oldestPendingSeconds',
        type: FieldType.number,
        values: profiles.map((profile) => profile.oldestPendingSeconds),
        config: { displayName: 'Oldest pending', unit: 's' },
      },
    ],
  });
}

/**
 * Builds a table of one page of the delivery log (`GET /api/v1/deliveries`), newest first. When the range has
 * older deliveries than the page contains, the frame carries an info notice.
 */
export function toDeliveriesFrame(list: DeliveryList, refId: string): DataFrame {
  const { deliveries } = list;
  const notices =
    list.next === null
      ? []
      : [
          {
            severity: 'info' as const,
            text: `Showing the newest ${deliveries.length} deliveries in the range; raise the query's limit (at most 1000) or narrow the range to see older ones.`,
          },
        ];

  return createDataFrame({
    refId,
    name: 'Deliveries',
    meta: { preferredVisualisationType: 'table', notices },
    fields: [
      { name: 'id', type: FieldType.number, values: deliveries.map((d) => d.id), config: { displayName: 'Id' } },
      {
        name: 'createdAt',
        type: FieldType.time,
        values: deliveries.map((d) => toEpochMs(d.createdAt)),
        config: { displayName: 'Created' },
      },
      {
        name: 'profileUid',
        type: FieldType.string,
        values: deliveries.map((d) => d.profileUid),
        config: { displayName: 'Profile' },
      },
      {
        name: 'sequenceId',
        type: FieldType.number,
        values: deliveries.map((d) => d.sequenceId),
        config: { displayName: 'Sequence id' },
      },
      {
        name: 'referenceNumber',
        type: FieldType.number,
        values: deliveries.map((d) => d.referenceNumber),
        config: { displayName: 'Reference number' },
      },
      {
        name: 'status',
        type: FieldType.string,
        values: deliveries.map((d) => d.status),
        config: { displayName: 'Status' },
      },
      {
        name: 'trigger',
        type: FieldType.string,
        values: deliveries.map((d) => d.trigger),
        config: { displayName: 'Trigger' },
      },
      {
        name: 'state',
        type: FieldType.string,
        values: deliveries.map((d) => d.state),
        config: { displayName: 'State' },
      },
      {
        name: 'attempts',
        type: FieldType.number,
        values: deliveries.map((d) => d.attempts),
        config: { displayName: 'Attempts' },
      },
      {
        name: 'lastStatusCode',
        type: FieldType.number,
        values: deliveries.map((d) => d.lastStatusCode),
        config: { displayName: 'Last status code' },
      },
      {
        name: 'lastError',
        type: FieldType.string,
        values: deliveries.map((d) => d.lastError),
        config: { displayName: 'Last error' },
      },
      {
        name: 'nextAttemptAt',
        type: FieldType.time,
        values: deliveries.map((d) => toEpochMs(d.nextAttemptAt)),
        config: { displayName: 'Next attempt' },
      },
      {
        name: 'deliveredAt',
        type: FieldType.time,
        values: deliveries.map((d) => toEpochMs(d.deliveredAt)),
        config: { displayName: 'Delivered' },
      },
      { name: 'test', type: FieldType.boolean, values: deliveries.map((d) => d.test), config: { displayName: 'Test' } },
    ],
  });
}

interface SeriesKey {
  profileUid: string;
  outcome: StatsOutcome;
}

function compareSeries(a: SeriesKey, b: SeriesKey): number {
  return (
    a.profileUid.localeCompare(b.profileUid) || OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome)
  );
}

/**
 * Builds time series of delivery attempts per bucket (`GET /api/v1/stats`): one frame per (profile, outcome) that
 * has at least one attempt in the range. The relay lists only non-empty buckets, so every series gets a point for each
 * bucket from `from` to `to`, with 0 where the relay listed none. Bucket times are bucket starts.
 */
export function toDeliveryRateFrames(stats: StatsResult, refId: string): DataFrame[] {
  const fromMs = Date.parse(stats.from);
  const toMs = Date.parse(stats.to);
  const stepMs = stats.stepSeconds * 1000;
  const bucketCount = Math.max(0, Math.ceil((toMs - fromMs) / stepMs));
  const times = Array.from({ length: bucketCount }, (_, index) => fromMs + index * stepMs);

  const series = new Map<string, SeriesKey & { counts: number[] }>();
  for (const bucket of stats.buckets) {
    const index = Math.floor((Date.parse(bucket.time) - fromMs) / stepMs);
    if (index < 0 || index >= bucketCount) {
      continue;
    }

    const key = `${bucket.profileUid}\u0000${bucket.outcome}`;
    let entry = series.get(key);
    if (entry === undefined) {
      entry = {
        profileUid: bucket.profileUid,
        outcome: bucket.outcome,
        counts: new Array<number>(bucketCount).fill(0),
      };
      series.set(key, entry);
    }
    entry.counts[index] += bucket.count;
  }

  return [...series.values()].sort(compareSeries).map(({ profileUid, outcome, counts }) => {
    const seriesName = `${profileUid} ${outcome}`;
    return createDataFrame({
      refId,
      name: seriesName,
      fields: [
        { name: 'Time', type: FieldType.time, values: times, config: { interval: stepMs } },
        {
          name: 'attempts',
          type: FieldType.number,
          values: counts,
          labels: { profile: profileUid, outcome },
          config: { displayNameFromDS: seriesName },
        },
      ],
    });
  });
}
