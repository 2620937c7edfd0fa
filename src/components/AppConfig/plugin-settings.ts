import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import type { AppSettings } from '../../types';

/** Body of Grafana's `POST /api/plugins/<id>/settings`. */
export interface PluginSettingsUpdate {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppSettings;
  /** Sent only when a secret changes, because Grafana keeps stored secrets that are left out. */
  secureJsonData?: { apiToken: string };
}

/** Saves the app's settings in Grafana. Throws an Error whose message gives Grafana's reason. */
export async function savePluginSettings(update: PluginSettingsUpdate): Promise<void> {
  try {
    await lastValueFrom(
      getBackendSrv().fetch({
        method: 'POST',
        url: `/api/plugins/${PLUGIN_ID}/settings`,
        data: update,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
  } catch (error) {
    throw new Error(describeSaveError(error));
  }
}

function describeSaveError(error: unknown): string {
  if (!isFetchError(error)) {
    return error instanceof Error ? error.message : String(error);
  }
  const message = typeof error.data?.message === 'string' ? error.data.message : error.statusText;
  if (error.status === 403) {
    return `Grafana answered HTTP 403${message ? `: ${message}` : ''}; only an organization admin can change the app's settings`;
  }
  return `Grafana answered HTTP ${error.status}${message ? `: ${message}` : ''}`;
}

/** Returns an error message when `url` is not an absolute http or https URL, else null. */
export function checkRelayUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The relay URL must be an absolute http or https URL, such as http://relay:8686; got '${url}'`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `The relay URL must use http or https, got '${parsed.protocol}'`;
  }
  return null;
}
