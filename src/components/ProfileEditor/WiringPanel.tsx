import React from 'react';
import { Alert, ClipboardButton, Field, Input, Stack, Text } from '@grafana/ui';
import { testIds } from '../testIds';
import { contactPointUrl, contactPointYaml } from './wiring';

interface WiringPanelProps {
  /** The relay URL from the app's settings, as Grafana's server reaches it. */
  relayUrl: string | undefined;
  /** Uid of the stored profile, or null while a profile is created. */
  uid: string | null;
  profileName: string;
}

/** Shows how to point Grafana Alerting at this profile: the contact-point URL and a provisioning file. */
export function WiringPanel({ relayUrl, uid, profileName }: WiringPanelProps) {
  const url = contactPointUrl(relayUrl, uid);
  const yaml = contactPointYaml(url, profileName, uid);

  return (
    <Stack direction="column" gap={1}>
      <Text element="h3" variant="h4">
        Connect a Grafana contact point
      </Text>
      <Text color="secondary">
        Create a contact point of type Webhook with this URL, HTTP method POST and authorization scheme Bearer with the
        relay&apos;s ingest token (BORO_RELAY_INGEST_TOKEN) as credentials, then route alerts to it with a notification
        policy.
      </Text>
      {!relayUrl && (
        <Alert severity="info" title="The relay URL is not configured">
          Set the relay URL on the plugin&apos;s configuration page; the URL below uses a placeholder.
        </Alert>
      )}
      {uid === null && (
        <Alert severity="info" title="Save the profile first">
          The URL ends with the profile&apos;s uid, which is known once the profile is saved.
        </Alert>
      )}

      <Field label="Contact point URL" noMargin>
        <Stack direction="row" gap={1}>
          <Input
            id="profile-contact-point-url"
            data-testid={testIds.profileEditor.contactPointUrl}
            value={url}
            readOnly
          />
          <ClipboardButton icon="copy" variant="secondary" getText={() => url}>
            Copy URL
          </ClipboardButton>
        </Stack>
      </Field>

      <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between">
        <Text>
          Provisioning file for Grafana&apos;s <code>provisioning/alerting/</code> directory
        </Text>
        <ClipboardButton icon="copy" variant="secondary" size="sm" getText={() => yaml}>
          Copy YAML
        </ClipboardButton>
      </Stack>
      <pre data-testid={testIds.profileEditor.provisioningYaml}>{yaml}</pre>
    </Stack>
  );
}
