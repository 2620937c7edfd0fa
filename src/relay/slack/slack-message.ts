import type { BoroLink, BoroMessage, BoroStatus } from '../../contract/message.js';

/**
 * Slack's Block Kit and incoming-webhook limits. They are checked against JavaScript string lengths
 * (UTF-16 code units), which are never smaller than the character counts Slack applies.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonUrl: 3000,
  actionElements: 25,
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  /** Plain fallback shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks: object[];
}

const ELLIPSIS = '…';

const STATUS_EMOJI: Record<BoroStatus, string> = { Active: '🔴', Cleared: '✅', Event: 'ℹ️' };

const LINK_BUTTON_TEXT: Record<BoroLink['type'], string> = {
  task: 'Open task',
  subtask: 'Open subtask',
  profile: 'Open profile',
};

const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Builds the Slack incoming-webhook body for one Boro message: a header with status and trigger,
 * section fields for the other values, a details section and link buttons. Every text is escaped
 * and truncated to Slack's limits.
 */
export function buildSlackMessage(message: BoroMessage): SlackMessage {
  const blocks: object[] = [
    buildHeaderBlock(message),
    ...buildFieldSections(message),
    ...buildJsonSections(message),
    ...buildActionsBlock(message.links ?? []),
  ];

  return { text: buildFallbackText(message), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** Escapes the three characters that Slack's mrkdwn treats as markup: `&`, `<` and `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `text` for mrkdwn and shortens it to at most `maxLength` code units, ending with "…" when
 * shortened. It cuts between grapheme clusters of the unescaped text, so it never splits a surrogate
 * pair, an emoji sequence or an escape such as `&amp;`.
 */
export function truncateMrkdwn(text: string, maxLength: number): string {
  return truncateBy(text, maxLength, escapeMrkdwn);
}

/** Shortens plain text to at most `maxLength` code units, cutting between grapheme clusters and ending with "…". */
export function truncatePlainText(text: string, maxLength: number): string {
  return truncateBy(text, maxLength, (segment) => segment);
}

function truncateBy(text: string, maxLength: number, render: (segment: string) => string): string {
  const rendered = render(text);
  if (rendered.length <= maxLength) return rendered;

  const budget = maxLength - ELLIPSIS.length;
  let truncated = '';

  // Segmenting costs time in proportion to the whole string, so only a prefix is segmented. A grapheme
  // boundary depends on the characters before it and the one after it, so boundaries inside the
  // prefix match those of the whole text. A cluster cut at the prefix end ends past the budget,
  // because each grapheme renders to at least its own length, so it is never kept.
  const prefix = text.slice(0, maxLength + 1);
  for (const { segment } of graphemeSegmenter.segment(prefix)) {
    const piece = render(segment);
    if (truncated.length + piece.length > budget) break;
    truncated += piece;
  }
  return `${truncated}${ELLIPSIS}`;
}

function buildHeaderBlock(message: BoroMessage): object {
  const text = truncatePlainText(titleOf(message), SLACK_LIMITS.headerText);

  return { type: 'header', text: { type: 'plain_text', text, emoji: true } };
}

function buildFieldSections(message: BoroMessage): object[] {
  const fields = listFields(message).map(([label, value]) => {
    const prefix = `*${label}*\n`;
    return { type: 'mrkdwn', text: prefix + truncateMrkdwn(value, SLACK_LIMITS.fieldText - prefix.length) };
  });

  const sections: object[] = [];
  for (let start = 0; start < fields.length; start += SLACK_LIMITS.fieldsPerSection) {
    sections.push({ type: 'section', fields: fields.slice(start, start + SLACK_LIMITS.fieldsPerSection) });
  }
  return sections;
}

/** Returns [label, value] pairs for the message's non-empty values, in display order. */
function listFields(message: BoroMessage): Array<[string, string]> {
  const showTaskUri = message.task_uri !== '' && message.task_uri !== message.task_name;
  const task = showTaskUri ? `${message.task_name}\n${message.task_uri}` : message.task_name;
  const subtaskParts = [message.subtask_description ?? '', message.subtask_uri ?? ''];
  const subtask = subtaskParts.filter((part) => part !== '').join('\n');
  const sequence =
    message.referenceNumber === undefined
      ? String(message.sequenceId)
      : `${message.sequenceId} (reference ${message.referenceNumber})`;

  const fields: Array<[string, string | number | undefined]> = [
    ['Project', message.project_name],
    ['Probe', message.probe_name],
    ['Task', task],
    ['Subtask', subtask],
    ['Level', message.level],
    ['Time', message.time],
    ['Ended', message.time_end],
    ['Duration', message.duration],
    ['Sequence', sequence],
    ['Profile', message.profile_name],
    ['PID', message.pid],
    ['Count', message.count],
  ];

  return fields
    .filter((field): field is [string, string | number] => field[1] !== undefined && field[1] !== '')
    .map(([label, value]) => [label, String(value)]);
}

function buildJsonSections(message: BoroMessage): object[] {
  const sections: object[] = [];
  if (message.details !== undefined) sections.push(buildJsonSection('Details', message.details));
  if (message.count_by_pids !== undefined) sections.push(buildJsonSection('Count by PID', message.count_by_pids));
  return sections;
}

/** Shows a value as a code block. The fence is added after truncation, so a cut never leaves the block open. */
function buildJsonSection(label: string, value: unknown): object {
  const json = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  const prefix = `*${label}*\n\`\`\``;
  const suffix = '```';
  const body = truncateMrkdwn(json, SLACK_LIMITS.sectionText - prefix.length - suffix.length);

  return { type: 'section', text: { type: 'mrkdwn', text: `${prefix}${body}${suffix}` } };
}

function buildActionsBlock(links: BoroLink[]): object[] {
  const buttons = links
    .filter((link) => isButtonUrl(link.href))
    .slice(0, SLACK_LIMITS.actionElements)
    .map((link, index) => ({
      type: 'button',
      action_id: `boro_link_${index}`,
      text: {
        type: 'plain_text',
        text: truncatePlainText(LINK_BUTTON_TEXT[link.type] ?? 'Open link', SLACK_LIMITS.buttonText),
        emoji: true,
      },
      url: link.href,
    }));

  return buttons.length === 0 ? [] : [{ type: 'actions', elements: buttons }];
}

/** Slack rejects the whole message for a button URL that is too long or not http(s), so such links are left out. */
function isButtonUrl(href: string): boolean {
  if (href.length > SLACK_LIMITS.buttonUrl) return false;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function buildFallbackText(message: BoroMessage): string {
  const context = [message.project_name, message.task_name].filter((part) => part !== '').join(', ');
  const text = context === '' ? titleOf(message) : `${titleOf(message)} (${context})`;

  return truncateMrkdwn(text, SLACK_LIMITS.fallbackText);
}

/** Returns the status emoji, the status and the trigger, for example `🔴 Active: DiskFillingUp`. */
function titleOf(message: BoroMessage): string {
  const emoji = STATUS_EMOJI[message.status];
  return message.trigger === '' ? `${emoji} ${message.status}` : `${emoji} ${message.status}: ${message.trigger}`;
}
