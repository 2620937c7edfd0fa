/** The app's settings in Grafana: `jsonData` is readable by the browser, the API token is in `secureJsonData`. */
export interface AppSettings {
  /** Base URL of the relay as Grafana's server reaches it, for example `http://relay:8686`. */
  relayUrl?: string;
}
