import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { TestMessageResult } from '../../contract/delivery';
import { prettyJson } from '../format';
import { testIds } from '../testIds';

/** Shows the outcome of "Send test message": delivered or not, the receiver's response and the request that was sent. */
export function TestMessageResultView({ result }: { result: TestMessageResult }) {
  const { request } = result;
  const statusText = result.statusCode === null ? 'no HTTP response' : `HTTP ${result.statusCode}`;
  const title = result.delivered
    ? `Test message delivered: ${statusText} in ${result.durationMs} ms`
    : `Test message not delivered: ${statusText} after ${result.durationMs} ms`;
  const headerLines = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);

  return (
    <div data-testid={testIds.profileEditor.testResult}>
      <Alert severity={result.delivered ? 'success' : 'error'} title={title}>
        <Stack direction="column" gap={1}>
          {result.error && <div>Error: {result.error}</div>}

          <Section title="Response body (first 2 KiB)">{result.responseBody || '(empty)'}</Section>
          <Section title="Request">{`POST ${request.url}\n${headerLines.join('\n')}`}</Section>
          <Section title="Request body">{prettyJson(request.body)}</Section>
          {request.canonicalString !== undefined && (
            <Section title="Canonical string (signed with the secret key)">{request.canonicalString}</Section>
          )}
        </Stack>
      </Alert>
    </div>
  );
}

function Section({ title, children }: { title: string; children: string }) {
  return (
    <div>
      <Text element="h4" variant="h6">
        {title}
      </Text>
      <pre>{children}</pre>
    </div>
  );
}
