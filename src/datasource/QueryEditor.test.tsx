import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BoroDataSource } from './datasource';
import { parseLimit, QueryEditor } from './QueryEditor';
import type { BoroQuery } from './types';

/** Renders the editor with its query kept in state, as Grafana's panel editor does, and records every change. */
function renderEditor(initial: BoroQuery) {
  const changes: BoroQuery[] = [];
  const onRunQuery = jest.fn();

  function Harness() {
    const [query, setQuery] = useState(initial);
    const onChange = (next: BoroQuery) => {
      changes.push(next);
      setQuery(next);
    };
    return <QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={{} as BoroDataSource} />;
  }

  render(<Harness />);
  return { changes, onRunQuery, lastQuery: () => changes.at(-1) };
}

describe('QueryEditor', () => {
  it('shows profiles status by default', () => {
    renderEditor({ refId: 'A' });

    expect(screen.getByRole('radio', { name: 'Profiles status' })).toBeChecked();
    expect(screen.queryByRole('radiogroup', { name: 'State' })).not.toBeInTheDocument();
    expect(screen.queryByRole('radiogroup', { name: 'Outcome' })).not.toBeInTheDocument();
  });

  it('switches query type', async () => {
    const { lastQuery, onRunQuery } = renderEditor({ refId: 'A', queryType: 'profilesStatus' });
    await userEvent.click(screen.getByRole('radio', { name: 'Deliveries' }));

    expect(lastQuery()?.queryType).toBe('deliveries');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('radiogroup', { name: 'State' })).toBeInTheDocument();
  });

  it('sets state filter', async () => {
    const { lastQuery, onRunQuery } = renderEditor({ refId: 'A', queryType: 'deliveries' });
    await userEvent.click(screen.getByRole('radio', { name: 'failed' }));

    expect(lastQuery()?.state).toBe('failed');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('clears state filter', async () => {
    const { lastQuery } = renderEditor({ refId: 'A', queryType: 'deliveries', state: 'failed' });
    await userEvent.click(screen.getByRole('radio', { name: 'Any' }));

    expect(lastQuery()?.state).toBeUndefined();
  });

  it('sets outcome filter', async () => {
    const { lastQuery } = renderEditor({ refId: 'A', queryType: 'deliveryRate' });
    await userEvent.click(screen.getByRole('radio', { name: 'retried' }));

    expect(lastQuery()?.outcome).toBe('retried');
    expect(screen.queryByRole('radiogroup', { name: 'State' })).not.toBeInTheDocument();
  });

  it('runs profile filter on blur', async () => {
    const { lastQuery, onRunQuery } = renderEditor({ refId: 'A', queryType: 'deliveries' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Profile' }), '$profile');

    expect(lastQuery()?.profile).toBe('$profile');
    expect(onRunQuery).not.toHaveBeenCalled();

    await userEvent.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('sets limit', async () => {
    const { lastQuery, onRunQuery } = renderEditor({ refId: 'A', queryType: 'deliveries' });
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Limit' }), '250');
    await userEvent.tab();

    expect(lastQuery()?.limit).toBe(250);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('rejects limit out of range', async () => {
    const { lastQuery, onRunQuery } = renderEditor({ refId: 'A', queryType: 'deliveries', limit: 100 });
    const input = screen.getByRole('spinbutton', { name: 'Limit' });
    await userEvent.clear(input);
    await userEvent.type(input, '5000');
    await userEvent.tab();

    expect(screen.getByText("Limit must be an integer from 1 to 1000, got '5000'")).toBeInTheDocument();
    expect(lastQuery()?.limit).toBe(500);
    expect(onRunQuery).not.toHaveBeenCalled();
  });
});

describe('parseLimit', () => {
  it.each([
    ['', {}],
    ['  ', {}],
    ['1', { limit: 1 }],
    ['1000', { limit: 1000 }],
  ])('accepts %j', (text, expected) => {
    expect(parseLimit(text)).toEqual(expected);
  });

  it.each(['0', '1001', '2.5', '-3', 'ten'])('rejects %j', (text) => {
    expect(parseLimit(text).error).toBe(`Limit must be an integer from 1 to 1000, got '${text}'`);
  });
});
