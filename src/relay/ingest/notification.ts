export type AlertStatus = 'firing' | 'resolved';

/** One alert instance of a notification, the same for both senders. */
export interface NormalizedAlert {
  /** The alert's own status, or the group's top-level status when the alert has none. */
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  /** Null when the sender left it out, empty, or at Go's zero time (the alert has not ended). */
  endsAtMs: number | null;
  generatorURL: string | null;
  dashboardURL: string | null;
  panelURL: string | null;
  silenceURL: string | null;
  /** The sender's fingerprint, or a hash of the sorted labels when the sender sent none. */
  fingerprint: string;
  ruleUID: string | null;
  values: Record<string, number | null> | null;
  valueString: string | null;
}

export interface NormalizedNotification {
  source: 'grafana' | 'alertmanager';
  receiver: string;
  status: AlertStatus;
  externalURL: string | null;
  groupKey: string | null;
  alerts: NormalizedAlert[];
}

const nullableString = { type: ['string', 'null'] } as const;

const stringMap = {
  type: ['object', 'null'],
  additionalProperties: { type: 'string' },
} as const;

/**
 * JSON Schema (draft-07, usable in OpenAPI 3.1 but not 3.0, which lacks `type` arrays) of an ingest
 * body: a Grafana webhook contact point body (`version` "1", Grafana 11 to 13) or a Prometheus
 * Alertmanager webhook body (`version` "4"). Other fields are allowed and ignored. `parseNotification`
 * checks the timestamps in code, because `endsAt` may also be empty or Go's zero time.
 */
export const NOTIFICATION_SCHEMA = {
  title: 'Grafana or Alertmanager webhook notification',
  type: 'object',
  required: ['version', 'status', 'alerts'],
  properties: {
    version: {
      enum: ['1', '4'],
      description: '"1" for a Grafana webhook contact point, "4" for Prometheus Alertmanager.',
    },
    receiver: nullableString,
    status: { enum: ['firing', 'resolved'] },
    externalURL: nullableString,
    groupKey: nullableString,
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['startsAt'],
        properties: {
          status: { enum: ['firing', 'resolved', null] },
          labels: stringMap,
          annotations: stringMap,
          startsAt: { type: 'string', format: 'date-time' },
          endsAt: {
            type: ['string', 'null'],
            description: 'RFC 3339, or empty or 0001-01-01T00:00:00Z while the alert has not ended.',
          },
          generatorURL: nullableString,
          dashboardURL: nullableString,
          panelURL: nullableString,
          silenceURL: nullableString,
          fingerprint: nullableString,
          ruleUID: nullableString,
          values: {
            type: ['object', 'null'],
            additionalProperties: { type: ['number', 'null'] },
          },
          valueString: nullableString,
        },
      },
    },
  },
} as const;
