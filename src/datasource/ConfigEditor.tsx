import React, { useId, type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput, Stack } from '@grafana/ui';
import { isHttpUrl } from './relay-url';
import type { BoroDataSourceOptions, BoroSecureJsonData } from './types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<BoroDataSourceOptions, BoroSecureJsonData>;

/** Returns why a relay URL is unusable, or null when it is an http or https URL (or still empty). */
export function relayUrlProblem(text: string): string | null {
  if (text.trim() === '' || isHttpUrl(text.trim())) {
    return null;
  }
  return `The relay URL must be an http or https URL such as http://relay:8686, got '${text}'`;
}

/**
 * Settings of a Boro Webhook status data source: the relay URL (jsonData) and the relay's API token
 * (secureJsonData). Grafana never sends a saved token back to the browser, so the token field shows only whether
 * one is configured, and Reset clears it.
 */
export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const relayUrlId = useId();
  const apiTokenId = useId();
  const { jsonData, secureJsonFields, secureJsonData } = options;
  const relayUrl = jsonData.relayUrl ?? '';
  const problem = relayUrlProblem(relayUrl);

  const setRelayUrl = (value: string) => {
    onOptionsChange({ ...options, jsonData: { ...jsonData, relayUrl: value } });
  };

  const onApiTokenChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: event.currentTarget.value } });
  };

  const onApiTokenReset = () => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });
  };

  return (
    <Stack direction="column" gap={0}>
      <Field
        label="Relay URL"
        description="The URL at which the Grafana server (not the browser) reaches the relay, for example http://relay:8686."
        invalid={problem !== null}
        error={problem}
      >
        <Input
          id={relayUrlId}
          width={48}
          value={relayUrl}
          placeholder="http://relay:8686"
          onChange={(event: ChangeEvent<HTMLInputElement>) => setRelayUrl(event.currentTarget.value)}
          // The routes append paths such as /api/v1/status, so a trailing slash would double it.
          onBlur={() => setRelayUrl(relayUrl.trim().replace(/\/+$/, ''))}
        />
      </Field>
      <Field
        label="API token"
        description="The relay's management API token: BORO_RELAY_API_TOKEN, or the api-token file in the relay's data directory. Grafana stores it encrypted and adds it to the requests it proxies."
      >
        <SecretInput
          id={apiTokenId}
          width={48}
          isConfigured={secureJsonFields?.apiToken === true}
          value={secureJsonData?.apiToken ?? ''}
          placeholder="API token"
          onChange={onApiTokenChange}
          onReset={onApiTokenReset}
        />
      </Field>
    </Stack>
  );
}
