import { dateTimeFormat, dateTimeFormatTimeAgo } from '@grafana/data';

/** Formats an ISO 8601 time as `YYYY-MM-DD HH:mm:ss` in the browser's time zone, or `-` when absent. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat(iso) : '-';
}

/** Formats an ISO 8601 time relative to now, such as `5 minutes ago`. */
export function formatTimeAgo(iso: string): string {
  return dateTimeFormatTimeAgo(iso);
}

/** Returns the host (and port) of a URL, or the text itself when it is not a URL. */
export function targetHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Pretty-prints a JSON text with two-space indentation, or returns it unchanged when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
