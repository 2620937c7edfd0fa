import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;

export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** Path of the relay behind Grafana's plugin proxy; the `relay` route of plugin.json adds the API token. */
export const RELAY_PROXY_PATH = `/api/plugin-proxy/${PLUGIN_ID}/relay`;

export enum ROUTES {
  Profiles = 'profiles',
  NewProfile = 'profiles/new',
  Deliveries = 'deliveries',
}

export function profileEditorUrl(uid: string): string {
  return `${PLUGIN_BASE_URL}/${ROUTES.Profiles}/${encodeURIComponent(uid)}`;
}
