/**
 * Field templates. A profile's `templates` may replace the default value of any field in
 * TEMPLATE_FIELDS with a Handlebars 4 template (https://handlebarsjs.com/guide/), rendered without
 * HTML escaping. The template context contains:
 *   labels.<name>, annotations.<name>    the alert's labels and annotations
 *   alert.status                         `firing` or `resolved`
 *   alert.startsAt, alert.endsAt         RFC 3339 UTC in seconds (endsAt is null until the alert ends)
 *   alert.fingerprint, alert.generatorURL, alert.dashboardURL, alert.panelURL, alert.silenceURL,
 *   alert.ruleUID, alert.values.<refId>, alert.valueString    as the sender sent them, null when absent
 *   profile.uid, profile.name, profile.projectName, profile.level
 *   externalURL                          the sender's external URL, or null
 *   default                              the value the field has without the template
 * Helpers: `{{coalesce a b "text"}}` (the first non-empty argument), `{{upper x}}`, `{{lower x}}`,
 * `{{json x}}` (JSON text of a value, such as `{{json default}}` for `details`).
 * Example: `task_name: "{{coalesce labels.service labels.job default}}"`.
 * A missing value renders as empty text, and the output is trimmed. An empty output keeps the default of
 * a required field and leaves an optional field (subtask_uri, subtask_description, pid, count, details)
 * out. `count` must render a non-negative integer and `details` JSON, or the field is left out.
 */
import Handlebars from 'handlebars';

import type { TemplateField } from '../../contract/profile.js';
import { RelayError } from '../errors.js';
import type { NormalizedAlert } from '../ingest/notification.js';
import { formatBoroTime } from '../ingest/timestamps.js';

export interface TemplateContext {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  alert: {
    status: NormalizedAlert['status'];
    startsAt: string;
    endsAt: string | null;
    fingerprint: string;
    generatorURL: string | null;
    dashboardURL: string | null;
    panelURL: string | null;
    silenceURL: string | null;
    ruleUID: string | null;
    values: Record<string, number | null> | null;
    valueString: string | null;
  };
  profile: { uid: string; name: string; projectName: string; level: string };
  externalURL: string | null;
  default: unknown;
}

export type FieldTemplate = (context: TemplateContext) => string;

const COMPILE_OPTIONS: CompileOptions = { noEscape: true, strict: false };

// Handlebars 4.6+ already denies prototype access by default, and these options make it explicit.
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

/** Compiled templates keyed by source text. When the cache is full, the oldest entry is removed. */
const MAX_CACHED_TEMPLATES = 500;
const templateCache = new Map<string, FieldTemplate>();

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

const handlebars = createHandlebarsEnvironment();

/**
 * Compiles a field template, or returns the cached one for the same source. Throws `RelayError`
 * `PROFILE_INVALID` naming `templates.<field>` when the source does not parse or uses an unknown
 * helper or partial.
 */
export function compileFieldTemplate(field: TemplateField, source: string): FieldTemplate {
  const cached = templateCache.get(source);
  if (cached !== undefined) return cached;

  let template: FieldTemplate;
  try {
    // precompile raises syntax errors now, while compile alone would defer them to the first render.
    handlebars.precompile(source, COMPILE_OPTIONS);
    const delegate = handlebars.compile<TemplateContext>(source, COMPILE_OPTIONS);
    template = (context) => delegate(context, RUNTIME_OPTIONS);

    // A render finds the errors that only show at run time: unknown helpers and partials.
    template(SAMPLE_CONTEXT);
  } catch (error) {
    throw new RelayError(
      'PROFILE_INVALID',
      `templates.${field} is not a valid Handlebars template: ${describeTemplateError(error)}`,
      `templates.${field}`,
    );
  }

  cacheTemplate(source, template);
  return template;
}

/** Renders a compiled template and returns its trimmed output, or undefined when it is empty or rendering throws. */
export function renderFieldTemplate(template: FieldTemplate, context: TemplateContext): string | undefined {
  let output: string;
  try {
    output = template(context).trim();
  } catch {
    // NOTE: the failure is not reported, because mapping is pure. compileFieldTemplate's sample render
    // catches the usual causes when the profile is saved.
    return undefined;
  }
  return output === '' ? undefined : output;
}

/** Builds the template context of an alert without `default`, which the caller sets per field. */
export function buildTemplateContext(
  alert: NormalizedAlert,
  profile: TemplateContext['profile'],
  externalURL: string | null,
): Omit<TemplateContext, 'default'> {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    alert: {
      status: alert.status,
      startsAt: formatBoroTime(alert.startsAtMs),
      endsAt: alert.endsAtMs === null ? null : formatBoroTime(alert.endsAtMs),
      fingerprint: alert.fingerprint,
      generatorURL: alert.generatorURL,
      dashboardURL: alert.dashboardURL,
      panelURL: alert.panelURL,
      silenceURL: alert.silenceURL,
      ruleUID: alert.ruleUID,
      values: alert.values,
      valueString: alert.valueString,
    },
    profile: { uid: profile.uid, name: profile.name, projectName: profile.projectName, level: profile.level },
    externalURL,
  };
}

const SAMPLE_CONTEXT: TemplateContext = {
  labels: { alertname: 'TemplateCheck' },
  annotations: {},
  alert: {
    status: 'firing',
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: null,
    fingerprint: '0000000000000000',
    generatorURL: null,
    dashboardURL: null,
    panelURL: null,
    silenceURL: null,
    ruleUID: null,
    values: null,
    valueString: null,
  },
  profile: { uid: 'template-check', name: 'Template check', projectName: 'Grafana', level: 'Warning' },
  externalURL: null,
  default: '',
};

function createHandlebarsEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();

  // Handlebars passes its options object as the last argument, after the template's own arguments.
  environment.registerHelper('coalesce', (...args: unknown[]) =>
    args.slice(0, -1).find((value) => value !== undefined && value !== null && value !== ''),
  );
  environment.registerHelper('upper', (...args: unknown[]) => toText(firstArgument(args)).toUpperCase());
  environment.registerHelper('lower', (...args: unknown[]) => toText(firstArgument(args)).toLowerCase());
  environment.registerHelper('json', (...args: unknown[]) => JSON.stringify(firstArgument(args)) ?? '');

  return environment;
}

/** Returns the template's first argument, or undefined when the helper got only Handlebars' options. */
function firstArgument(args: unknown[]): unknown {
  return args.length > 1 ? args[0] : undefined;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function cacheTemplate(source: string, template: FieldTemplate): void {
  if (templateCache.size >= MAX_CACHED_TEMPLATES) {
    const oldestSource = templateCache.keys().next().value;
    if (oldestSource !== undefined) templateCache.delete(oldestSource);
  }
  templateCache.set(source, template);
}

/**
 * Puts Handlebars' multi-line parse error ("Parse error on line 1:", the text near the error, a caret
 * line, "Expecting ..., got ...") on one line.
 */
function describeTemplateError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < 4 || !lines[0]?.startsWith('Parse error')) return lines.join(' ');

  const location = lines[0].replace(/:$/, '');
  return `${location} near '${lines[1]}', ${lowerFirst(lines[lines.length - 1] ?? '')}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
