import type { BoroLink, BoroMessage, BoroStatus } from '../../contract/message.js';
import { PROFILE_DEFAULTS, TEMPLATE_FIELDS, type FieldTemplates, type TemplateField } from '../../contract/profile.js';
import type { NormalizedAlert } from '../ingest/notification.js';
import { formatBoroTime } from '../ingest/timestamps.js';
import {
  findLabel,
  findLabelOrAnnotation,
  hostnameOf,
  parseCount,
  parseJsonValue,
  parsePid,
} from './alert-values.js';
import { formatDuration } from './duration.js';
import { orderMessageFields } from './serialise-message.js';
import { buildTemplateContext, compileFieldTemplate, renderFieldTemplate, type TemplateContext } from './templates.js';

/** The part of a profile that decides how its alerts read. */
export interface MappingProfile {
  uid: string;
  name: string;
  projectName: string;
  level: string;
  levelFromLabel: string | null;
  templates: FieldTemplates;
}

export interface MappingContext {
  profile: MappingProfile;
  /** BORO_RELAY_GRAFANA_URL: the public Grafana URL, or null when it is not configured. */
  grafanaUrl: string | null;
  /** The notification's `externalURL`. */
  externalURL: string | null;
  receivedAtMs: number;
}

/** A Boro message without the numbers that the store assigns. */
export type MessageFields = Omit<BoroMessage, 'version' | 'sequenceId' | 'referenceNumber'>;

export type MappedAlert =
  | { kind: 'dropped'; reason: string }
  | {
      kind: 'message';
      /** Grafana's contact point test alert: sent with sequenceId 0, outside any episode. */
      test: boolean;
      status: BoroStatus;
      fingerprint: string;
      startsAtMs: number;
      endsAtMs: number | null;
      fields: MessageFields;
    };

const DEFAULT_PROBE_NAME = 'grafana';
const EVENT_TYPE_LABEL = 'boro_type';

/** Suffixes of the triggers of Grafana's alerts for a rule whose query returned no data or failed. */
const DATASOURCE_ALERT_SUFFIXES = new Map([
  ['DatasourceNoData', ' (no data)'],
  ['DatasourceError', ' (error)'],
]);

/**
 * Maps one alert instance to the fields of a Boro message, or drops it (a resolved event). The
 * profile's templates override the defaults. The store assigns sequenceId and referenceNumber.
 */
export function mapAlert(alert: NormalizedAlert, context: MappingContext): MappedAlert {
  const test = isGrafanaTestAlert(alert);
  const event = test || findLabel(alert, EVENT_TYPE_LABEL)?.toLowerCase() === 'event';

  if (event && !test && alert.status === 'resolved') {
    return { kind: 'dropped', reason: `a resolved alert labelled ${EVENT_TYPE_LABEL}="event" is not sent` };
  }

  const status = toBoroStatus(alert, event);
  const defaults = buildDefaultFields(alert, context, status);
  const fields = applyFieldTemplates(defaults, alert, context);

  return {
    kind: 'message',
    test,
    status,
    fingerprint: alert.fingerprint,
    startsAtMs: alert.startsAtMs,
    endsAtMs: alert.endsAtMs,
    fields: orderMessageFields(fields),
  };
}

function toBoroStatus(alert: NormalizedAlert, event: boolean): BoroStatus {
  if (event) return 'Event';
  return alert.status === 'firing' ? 'Active' : 'Cleared';
}

/**
 * Tells whether the alert is the one Grafana's contact point "Test" button sends: named `TestAlert`,
 * labelled `instance="Grafana"`, with no generatorURL.
 */
export function isGrafanaTestAlert(alert: NormalizedAlert): boolean {
  return (
    findLabel(alert, 'alertname') === 'TestAlert' &&
    findLabel(alert, 'instance') === 'Grafana' &&
    alert.generatorURL === null
  );
}

function buildDefaultFields(alert: NormalizedAlert, context: MappingContext, status: BoroStatus): MessageFields {
  const { profile } = context;
  const ruleName = findRuleName(alert);

  const fields: MessageFields = {
    project_name: findLabel(alert, 'project_name') ?? nonEmpty(profile.projectName) ?? PROFILE_DEFAULTS.projectName,
    probe_name: findLabel(alert, 'probe_name') ?? hostnameOf(context.externalURL) ?? DEFAULT_PROBE_NAME,
    // NOTE: Boro's mapping ends at generatorURL, so the rule name as last resort is this relay's own choice.
    task_uri: findLabel(alert, 'task_uri') ?? findLabel(alert, 'instance') ?? alert.generatorURL ?? ruleName,
    task_name: findLabel(alert, 'task_name') ?? findLabel(alert, 'job') ?? findLabel(alert, 'instance') ?? ruleName,
    subtask_uri: findLabel(alert, 'subtask_uri'),
    subtask_description: findLabel(alert, 'subtask_description'),
    trigger: buildTrigger(alert, ruleName),
    status,
    level: findLevel(alert, profile),
    time: formatBoroTime(status === 'Event' ? context.receivedAtMs : alert.startsAtMs),
    profile_name: profile.name,
    links: buildLinks(alert, context),
    pid: parsePid(findLabelOrAnnotation(alert, 'pid')),
    count_by_pids: parseJsonValue(findLabelOrAnnotation(alert, 'count_by_pids')),
    count: parseCount(findLabelOrAnnotation(alert, 'count')),
    details: parseJsonValue(findLabelOrAnnotation(alert, 'details')),
  };

  if (status === 'Cleared') {
    // Alertmanager and Grafana set endsAt on resolved alerts. A sender that does not gets the arrival time.
    const endsAtMs = alert.endsAtMs ?? context.receivedAtMs;
    fields.time_end = formatBoroTime(endsAtMs);
    fields.duration = formatDuration(endsAtMs - alert.startsAtMs);
  }

  if (status === 'Event') fields.count ??= 1;
  return fields;
}

/** Returns the rule name: label `rulename` of DatasourceNoData and DatasourceError alerts, else `alertname`. */
function findRuleName(alert: NormalizedAlert): string {
  const alertname = findLabel(alert, 'alertname');
  if (alertname !== undefined && DATASOURCE_ALERT_SUFFIXES.has(alertname)) {
    return findLabel(alert, 'rulename') ?? alertname;
  }
  return alertname ?? alert.ruleUID ?? `alert ${alert.fingerprint}`;
}

function buildTrigger(alert: NormalizedAlert, ruleName: string): string {
  const alertname = findLabel(alert, 'alertname');
  const suffix = alertname === undefined ? undefined : DATASOURCE_ALERT_SUFFIXES.get(alertname);
  return suffix === undefined ? ruleName : `${ruleName}${suffix}`;
}

function findLevel(alert: NormalizedAlert, profile: MappingProfile): string {
  const fromLabel = profile.levelFromLabel === null ? undefined : findLabel(alert, profile.levelFromLabel);
  return fromLabel ?? nonEmpty(profile.level) ?? PROFILE_DEFAULTS.level;
}

function buildLinks(alert: NormalizedAlert, context: MappingContext): BoroLink[] {
  const links: BoroLink[] = [];
  if (alert.generatorURL !== null) links.push({ type: 'task', href: alert.generatorURL });

  const subtaskHref = alert.panelURL ?? alert.dashboardURL;
  if (subtaskHref !== null) links.push({ type: 'subtask', href: subtaskHref });

  if (context.grafanaUrl !== null && context.grafanaUrl !== '') {
    const grafanaBase = context.grafanaUrl.replace(/\/+$/, '');
    const profilePath = `/a/boro-webhook-app/profiles/${encodeURIComponent(context.profile.uid)}`;
    links.push({ type: 'profile', href: `${grafanaBase}${profilePath}` });
  }
  return links;
}

function applyFieldTemplates(
  defaults: MessageFields,
  alert: NormalizedAlert,
  context: MappingContext,
): MessageFields {
  const { profile } = context;
  const fields: MessageFields = { ...defaults };
  let templateContext: Omit<TemplateContext, 'default'> | undefined;

  for (const field of TEMPLATE_FIELDS) {
    const source = profile.templates[field];
    if (source === undefined || source === '') continue;

    let template;
    try {
      template = compileFieldTemplate(field, source);
    } catch {
      // Profile validation rejects invalid templates, so only a profile stored by an older version gets
      // here. Its alerts keep their default fields instead of being rejected.
      continue;
    }

    templateContext ??= buildTemplateContext(alert, profile, context.externalURL);
    const output = renderFieldTemplate(template, { ...templateContext, default: defaults[field] });
    setTemplatedField(fields, field, output);
  }
  return fields;
}

/** Sets a field from its template's output: required fields keep their default when it is empty. */
function setTemplatedField(fields: MessageFields, field: TemplateField, output: string | undefined): void {
  switch (field) {
    case 'subtask_uri':
    case 'subtask_description':
      fields[field] = output;
      return;
    case 'pid':
      fields.pid = parsePid(output);
      return;
    case 'count':
      fields.count = parseCount(output);
      return;
    case 'details':
      fields.details = parseJsonValue(output);
      return;
    default:
      if (output !== undefined) fields[field] = output;
  }
}

function nonEmpty(text: string): string | undefined {
  return text === '' ? undefined : text;
}
