import React from 'react';
import { Combobox, Field, RadioButtonGroup, Stack, TimeRangeInput, type ComboboxOption } from '@grafana/ui';
import { DELIVERY_STATES, type DeliveryState } from '../../contract/delivery';
import type { Profile } from '../../contract/profile';
import { testIds } from '../testIds';
import type { DeliveryFilters } from './delivery-query';

const ALL_STATES = 'all';

const STATE_OPTIONS: Array<{ label: string; value: DeliveryState | typeof ALL_STATES }> = [
  { label: 'All', value: ALL_STATES },
  ...DELIVERY_STATES.map((state) => ({ label: state, value: state })),
];

interface DeliveryFiltersBarProps {
  filters: DeliveryFilters;
  profiles: Profile[];
  onChange: (filters: DeliveryFilters) => void;
}

/** Filters of the delivery log: profile, state and creation time. */
export function DeliveryFiltersBar({ filters, profiles, onChange }: DeliveryFiltersBarProps) {
  const profileOptions: Array<ComboboxOption<string>> = profiles.map((profile) => ({
    label: profile.name,
    value: profile.uid,
    description: profile.uid,
  }));
  // A uid from the page URL stays selectable while the profile list loads or after the profile was deleted.
  if (filters.profileUid && !profiles.some((profile) => profile.uid === filters.profileUid)) {
    profileOptions.push({ label: filters.profileUid, value: filters.profileUid });
  }

  return (
    <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
      <Field label="Profile" noMargin>
        <Combobox<string>
          id="deliveries-profile"
          data-testid={testIds.deliveries.profileFilter}
          width={30}
          options={profileOptions}
          value={filters.profileUid}
          placeholder="All profiles"
          isClearable
          onChange={(option) => onChange({ ...filters, profileUid: option?.value ?? null })}
        />
      </Field>

      <Field label="State" noMargin>
        <RadioButtonGroup<DeliveryState | typeof ALL_STATES>
          data-testid={testIds.deliveries.stateFilter}
          options={STATE_OPTIONS}
          value={filters.state ?? ALL_STATES}
          onChange={(state) => onChange({ ...filters, state: state === ALL_STATES ? null : state })}
        />
      </Field>

      <Field label="Created" noMargin data-testid={testIds.deliveries.timeFilter}>
        <TimeRangeInput
          value={filters.timeRange}
          placeholder="Any time"
          clearable
          onChange={(timeRange) => onChange({ ...filters, timeRange })}
        />
      </Field>
    </Stack>
  );
}
