import React from 'react';
import { Collapse, Field, Input, Stack, Switch, Text, TextArea } from '@grafana/ui';
import type { RelayApiError } from '../../api/relay-client';
import { TEMPLATE_FIELDS, type TemplateField } from '../../contract/profile';
import { fieldErrorProps } from './field-errors';
import type { ProfileFormState } from './profile-form';

interface AdvancedSectionProps {
  form: ProfileFormState;
  disabled: boolean;
  error: RelayApiError | null;
  isOpen: boolean;
  onToggle: (isOpen: boolean) => void;
  onChange: (patch: Partial<ProfileFormState>) => void;
}

/** Field templates and TLS options, collapsed by default because most profiles keep the defaults. */
export function AdvancedSection({ form, disabled, error, isOpen, onToggle, onChange }: AdvancedSectionProps) {
  const setTemplate = (field: TemplateField, template: string) => {
    onChange({ templates: { ...form.templates, [field]: template } });
  };

  return (
    <Collapse label="Field templates and TLS" isOpen={isOpen} onToggle={onToggle}>
      <Stack direction="column" gap={0}>
        <Text color="secondary">
          A Handlebars template replaces the default value of a Boro field, for example{' '}
          <code>{'{{labels.team}}: {{annotations.summary}}'}</code>. Leave a field empty to keep its default.
        </Text>
        {TEMPLATE_FIELDS.map((field) => (
          <Field key={field} label={field} disabled={disabled} {...fieldErrorProps(error, `templates.${field}`)}>
            <Input
              id={`profile-template-${field}`}
              width={80}
              value={form.templates[field] ?? ''}
              disabled={disabled}
              onChange={(event) => setTemplate(field, event.currentTarget.value)}
            />
          </Field>
        ))}

        <Field
          label="CA certificates (PEM)"
          description="Extra certificate authorities trusted for this receiver, added to the default ones"
          disabled={disabled}
          {...fieldErrorProps(error, 'tls.caPem')}
        >
          <TextArea
            id="profile-tls-ca-pem"
            rows={4}
            value={form.caPem}
            disabled={disabled}
            placeholder="-----BEGIN CERTIFICATE-----"
            onChange={(event) => onChange({ caPem: event.currentTarget.value })}
          />
        </Field>
        <Field
          label="Skip TLS certificate verification"
          description="Accepts any certificate from the receiver; use only for tests"
          disabled={disabled}
        >
          <Switch
            id="profile-tls-insecure"
            value={form.insecureSkipVerify}
            disabled={disabled}
            onChange={(event) => onChange({ insecureSkipVerify: event.currentTarget.checked })}
          />
        </Field>
      </Stack>
    </Collapse>
  );
}
