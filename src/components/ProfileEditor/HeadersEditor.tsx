import React from 'react';
import { Button, Field, IconButton, Input, SecretInput, Stack, Text } from '@grafana/ui';
import type { RelayApiError } from '../../api/relay-client';
import { testIds } from '../testIds';
import { fieldErrorProps } from './field-errors';
import { newHeaderRow, type HeaderRow } from './profile-form';

interface HeadersEditorProps {
  rows: HeaderRow[];
  disabled: boolean;
  error: RelayApiError | null;
  onChange: (rows: HeaderRow[]) => void;
}

/** "Custom HTTP headers" as Field/Value rows. Credential values the relay keeps show as configured. */
export function HeadersEditor({ rows, disabled, error, onChange }: HeadersEditorProps) {
  const updateRow = (key: number, patch: Partial<HeaderRow>) => {
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  };

  const removeRow = (key: number) => {
    onChange(rows.filter((row) => row.key !== key));
  };

  return (
    <Stack direction="column" gap={1}>
      <Text element="h3" variant="h5">
        Custom HTTP headers
      </Text>
      <Text color="secondary">
        Sent with every delivery. Host, Content-Length, Transfer-Encoding and Connection cannot be set; with signing on,
        neither can Authorization, Date or X-Authorization-Content-SHA256.
      </Text>

      {rows.map((row, index) => (
        <Stack key={row.key} direction="row" gap={1} alignItems="flex-start">
          <Field noMargin {...fieldErrorProps(error, `headers[${index}].name`)}>
            <Input
              aria-label={`Header ${index + 1} field`}
              data-testid={testIds.profileEditor.headerName(index)}
              width={30}
              placeholder="Field, e.g. X-Env"
              value={row.name}
              disabled={disabled}
              onChange={(event) => updateRow(row.key, { name: event.currentTarget.value })}
            />
          </Field>
          <Field noMargin {...fieldErrorProps(error, `headers[${index}].value`)}>
            {row.redacted ? (
              <SecretInput
                aria-label={`Header ${index + 1} value`}
                data-testid={testIds.profileEditor.headerValue(index)}
                width={40}
                value=""
                isConfigured={true}
                disabled={disabled}
                onReset={() => updateRow(row.key, { redacted: false, value: '' })}
              />
            ) : (
              <Input
                aria-label={`Header ${index + 1} value`}
                data-testid={testIds.profileEditor.headerValue(index)}
                width={40}
                placeholder="Value"
                value={row.value}
                disabled={disabled}
                onChange={(event) => updateRow(row.key, { value: event.currentTarget.value })}
              />
            )}
          </Field>
          <IconButton
            name="trash-alt"
            tooltip={`Remove header ${index + 1}`}
            data-testid={testIds.profileEditor.removeHeader(index)}
            disabled={disabled}
            onClick={() => removeRow(row.key)}
          />
        </Stack>
      ))}

      <div>
        <Button
          variant="secondary"
          icon="plus"
          size="sm"
          data-testid={testIds.profileEditor.addHeader}
          disabled={disabled}
          onClick={() => onChange([...rows, newHeaderRow()])}
        >
          Add header
        </Button>
      </div>
    </Stack>
  );
}
