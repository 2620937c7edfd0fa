/**
 * Request bodies of the benchmark: Grafana webhook notifications (the shape Grafana 11-13 sends) and
 * a Boro message of the size the relay delivers for them.
 */

/** Returns the Authorization header value that Grafana sends for its "Authorization credentials" option. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** Builds one firing alert instance. Each `index` gets its own fingerprint and instance label, so no alert repeats another. */
export function firingAlert(runId: string, index: number): object {
  const instance = `api-${index}:9100`;
  return {
    status: 'firing',
    labels: {
      alertname: 'HighCPU',
      grafana_folder: 'Infrastructure',
      instance,
      severity: 'critical',
      team: 'platform',
    },
    annotations: {
      description: `CPU usage on ${instance} has been above 90% for 5 minutes.`,
      runbook_url: 'https://runbooks.example.internal/cpu-high',
      summary: `CPU above 90% on ${instance}`,
    },
    startsAt: '2026-11-24T09:12:30Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://grafana.example.internal/alerting/grafana/bf3k2x9a7q1s0c/view?orgId=1',
    fingerprint: `${runId}-${index.toString(16)}`,
    silenceURL:
      'https://grafana.example.internal/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%3Dbf3k2x9a7q1s0c&orgId=1',
    dashboardURL: 'https://grafana.example.internal/d/node-overview?orgId=1',
    panelURL: 'https://grafana.example.internal/d/node-overview?orgId=1&viewPanel=4',
    ruleUID: 'bf3k2x9a7q1s0c',
    values: { B: 93.4, C: 1 },
    valueString: `[ var='B' labels={instance=${instance}} type='reduce' value=93.4 ]`,
    orgId: 1,
  };
}

/** Builds a Grafana webhook notification body carrying the alerts `first` to `first + count - 1`. */
export function notificationBody(runId: string, first: number, count = 1): string {
  const alerts = [];
  for (let index = first; index < first + count; index++) alerts.push(firingAlert(runId, index));

  return JSON.stringify({
    receiver: 'relay-webhook',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'HighCPU', grafana_folder: 'Infrastructure' },
    commonLabels: { alertname: 'HighCPU', grafana_folder: 'Infrastructure', severity: 'critical', team: 'platform' },
    commonAnnotations: {},
    externalURL: 'https://grafana.example.internal/',
    version: '1',
    groupKey: '{}/{team="platform"}:{alertname="HighCPU", grafana_folder="Infrastructure"}',
    truncatedAlerts: 0,
    orgId: 1,
    title: `[FIRING:${count}] HighCPU Infrastructure`,
    state: 'alerting',
    message: '**Firing**\n\nValue: B=93.4, C=1\nLabels:\n - alertname = HighCPU\n',
  });
}

/** Builds the Boro message that the relay maps from `firingAlert` for a profile named Bench, which the baseline sender posts. */
export function boroMessageBody(sequenceId: number): string {
  const instance = `api-${sequenceId}:9100`;
  return JSON.stringify({
    version: '1',
    sequenceId,
    referenceNumber: sequenceId,
    project_name: 'Grafana',
    probe_name: 'grafana.example.internal',
    task_uri: instance,
    task_name: instance,
    trigger: 'HighCPU',
    status: 'Active',
    level: 'Warning',
    time: '2026-11-24T09:12:30Z',
    profile_name: 'Bench',
    links: [
      { type: 'task', href: 'https://grafana.example.internal/alerting/grafana/bf3k2x9a7q1s0c/view?orgId=1' },
      { type: 'subtask', href: 'https://grafana.example.internal/d/node-overview?orgId=1&viewPanel=4' },
    ],
  });
}

/** Returns the sequenceId at the end of an `Idempotency-Key: <profile uid>-<sequenceId>` header, or null. */
export function sequenceIdOfKey(key: string | string[] | undefined): number | null {
  if (typeof key !== 'string') return null;

  const dash = key.lastIndexOf('-');
  const sequenceId = Number(key.slice(dash + 1));
  return dash === -1 || !Number.isInteger(sequenceId) || sequenceId < 1 ? null : sequenceId;
}
