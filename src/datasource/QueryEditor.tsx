import React, { useId, useState, type ChangeEvent } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import { DELIVERY_STATES, type DeliveryState, type StatsOutcome } from '../contract/delivery';
import type { BoroDataSource } from './datasource';
import {
  DEFAULT_DELIVERIES_LIMIT,
  DEFAULT_QUERY_TYPE,
  MAX_DELIVERIES_LIMIT,
  QUERY_TYPE_LABELS,
  type BoroDataSourceOptions,
  type BoroQuery,
  type QueryType,
} from './types';

export type BoroQueryEditorProps = QueryEditorProps<BoroDataSource, BoroQuery, BoroDataSourceOptions>;

/** Radio value that stands for "no filter", because a RadioButtonGroup cannot select undefined. */
const ANY = 'any';

const LABEL_WIDTH = 14;

const QUERY_TYPE_OPTIONS: Array<SelectableValue<QueryType>> = (Object.keys(QUERY_TYPE_LABELS) as QueryType[]).map(
  (value) => ({ value, label: QUERY_TYPE_LABELS[value] })
);

const STATE_OPTIONS: Array<SelectableValue<DeliveryState | typeof ANY>> = [
  { value: ANY, label: 'Any' },
  ...DELIVERY_STATES.map((state) => ({ value: state, label: state })),
];

const OUTCOME_OPTIONS: Array<SelectableValue<StatsOutcome | typeof ANY>> = [
  { value: ANY, label: 'Any' },
  { value: 'delivered', label: 'delivered' },
  { value: 'retried', label: 'retried' },
  { value: 'failed', label: 'failed' },
];

/** Returns the limit typed into the editor, undefined when empty, or an error message when it is out of range. */
export function parseLimit(text: string): { limit?: number; error?: string } {
  if (text.trim() === '') {
    return {};
  }
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERIES_LIMIT) {
    return { error: `Limit must be an integer from 1 to ${MAX_DELIVERIES_LIMIT}, got '${text}'` };
  }
  return { limit };
}

/** Picks the query type and its filters: profile (all types), state and limit (deliveries), outcome (delivery rate). */
export function QueryEditor({ query, onChange, onRunQuery }: BoroQueryEditorProps) {
  const profileId = useId();
  const limitId = useId();
  const queryType = query.queryType ?? DEFAULT_QUERY_TYPE;
  const [limitText, setLimitText] = useState(query.limit === undefined ? '' : String(query.limit));
  const limitError = parseLimit(limitText).error;

  const changeAndRun = (patch: Partial<BoroQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const onLimitChange = (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.currentTarget.value;
    setLimitText(text);
    const parsed = parseLimit(text);
    if (parsed.error === undefined) {
      onChange({ ...query, limit: parsed.limit });
    }
  };

  const onLimitBlur = () => {
    if (limitError === undefined) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={0}>
      <InlineField label="Query" labelWidth={LABEL_WIDTH} useFieldset>
        <RadioButtonGroup<QueryType>
          options={QUERY_TYPE_OPTIONS}
          value={queryType}
          onChange={(value) => changeAndRun({ queryType: value })}
        />
      </InlineField>

      <InlineField
        label="Profile"
        labelWidth={LABEL_WIDTH}
        tooltip="A profile uid, or a template variable such as $profile. Empty or * selects every profile."
      >
        <Input
          id={profileId}
          width={32}
          value={query.profile ?? ''}
          placeholder="all profiles"
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onChange({ ...query, profile: event.currentTarget.value })
          }
          onBlur={onRunQuery}
        />
      </InlineField>

      {queryType === 'deliveries' && (
        <>
          <InlineField label="State" labelWidth={LABEL_WIDTH} useFieldset>
            <RadioButtonGroup<DeliveryState | typeof ANY>
              options={STATE_OPTIONS}
              value={query.state ?? ANY}
              onChange={(value) => changeAndRun({ state: value === ANY ? undefined : value })}
            />
          </InlineField>
          <InlineField
            label="Limit"
            labelWidth={LABEL_WIDTH}
            tooltip={`The newest deliveries in the time range to show, from 1 to ${MAX_DELIVERIES_LIMIT}.`}
            invalid={limitError !== undefined}
            error={limitError}
          >
            <Input
              id={limitId}
              width={12}
              type="number"
              min={1}
              max={MAX_DELIVERIES_LIMIT}
              value={limitText}
              placeholder={String(DEFAULT_DELIVERIES_LIMIT)}
              onChange={onLimitChange}
              onBlur={onLimitBlur}
            />
          </InlineField>
        </>
      )}

      {queryType === 'deliveryRate' && (
        <InlineField label="Outcome" labelWidth={LABEL_WIDTH} useFieldset>
          <RadioButtonGroup<StatsOutcome | typeof ANY>
            options={OUTCOME_OPTIONS}
            value={query.outcome ?? ANY}
            onChange={(value) => changeAndRun({ outcome: value === ANY ? undefined : value })}
          />
        </InlineField>
      )}
    </Stack>
  );
}
