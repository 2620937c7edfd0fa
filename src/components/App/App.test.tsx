import React from 'react';
import { screen } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';
import '../testing/jsdom-gaps';
import { testIds } from '../testIds';
import { serveRelay } from '../testing/relay-mock';
import { renderAtRoute } from '../testing/render';
import App from './App';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockFetch }),
}));

jest.setTimeout(20_000);

function renderApp(url: string) {
  serveRelay(mockFetch, {
    'GET /api/v1/profiles': 'pending',
    'GET /api/v1/status': 'pending',
    'GET /api/v1/deliveries': 'pending',
    'GET /api/v1/profiles/noc-main': 'pending',
  });
  const props = {} as AppRootProps;
  return renderAtRoute(<App {...props} />, { paths: ['/a/boro-webhook-app/*'], url });
}

describe('App routes', () => {
  it.each([
    ['/a/boro-webhook-app/profiles', testIds.profiles.container],
    ['/a/boro-webhook-app/deliveries', testIds.deliveries.container],
    ['/a/boro-webhook-app/profiles/new', testIds.profileEditor.uid],
    ['/a/boro-webhook-app/unknown', testIds.profiles.container],
  ])('%s renders its page', async (url, testId) => {
    renderApp(url);

    expect(await screen.findByTestId(testId)).toBeInTheDocument();
  });

  it('opens editor for uid', async () => {
    renderApp('/a/boro-webhook-app/profiles/noc-main');

    expect(await screen.findByText('Loading profile...')).toBeInTheDocument();
  });
});
