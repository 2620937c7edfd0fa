/** Shown in place of the relay URL until it is set on the plugin's configuration page. */
export const RELAY_URL_PLACEHOLDER = 'http://<relay-host>:8686';

/** Shown in place of the uid of a profile that is not saved yet. */
export const UID_PLACEHOLDER = '<profile-uid>';

/** Grafana limits a contact point receiver uid to 40 characters. */
const MAX_RECEIVER_UID_LENGTH = 40;

/** Returns the URL a Grafana webhook contact point posts to for this profile. */
export function contactPointUrl(relayUrl: string | undefined, uid: string | null): string {
  const base = (relayUrl?.trim() || RELAY_URL_PLACEHOLDER).replace(/\/+$/, '');
  const path = uid ? encodeURIComponent(uid) : UID_PLACEHOLDER;
  return `${base}/api/v1/webhook/${path}`;
}

/**
 * Returns a file for Grafana's `provisioning/alerting/` directory with a webhook contact point that posts
 * to the relay. Grafana replaces `$BORO_RELAY_INGEST_TOKEN` with that environment variable when it reads
 * the file. Strings are written as JSON strings, which YAML reads as double-quoted scalars.
 */
export function contactPointYaml(url: string, profileName: string, uid: string | null): string {
  const contactPointName = `Boro ${profileName.trim() || uid || 'webhook'}`;
  const receiverUid = `boro-${uid ?? 'webhook'}`.slice(0, MAX_RECEIVER_UID_LENGTH);

  return [
    'apiVersion: 1',
    'contactPoints:',
    '  - orgId: 1',
    `    name: ${JSON.stringify(contactPointName)}`,
    '    receivers:',
    `      - uid: ${JSON.stringify(receiverUid)}`,
    '        type: webhook',
    '        settings:',
    `          url: ${JSON.stringify(url)}`,
    '          httpMethod: POST',
    '          authorization_scheme: Bearer',
    '          authorization_credentials: $BORO_RELAY_INGEST_TOKEN',
    '',
  ].join('\n');
}
