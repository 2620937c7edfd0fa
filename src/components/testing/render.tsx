import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render } from '@testing-library/react';
import { PluginContext, type PluginMeta } from '@grafana/data';
import type { AppSettings } from '../../types';

interface RenderRouteOptions {
  /** Route patterns under the app, such as `/a/boro-webhook-app/profiles/:uid`. */
  paths: string[];
  /** The URL to open. */
  url: string;
  /** The app's jsonData, as Grafana passes it through the plugin context. */
  jsonData?: AppSettings;
}

/** Renders `element` at `url` inside a router and the app's plugin context, as Grafana mounts app pages. */
export function renderAtRoute(element: React.ReactElement, { paths, url, jsonData = {} }: RenderRouteOptions) {
  const meta = { id: 'boro-webhook-app', jsonData } as PluginMeta<AppSettings>;
  return render(
    <PluginContext.Provider value={{ meta }}>
      <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          {paths.map((path) => (
            <Route key={path} path={path} element={element} />
          ))}
        </Routes>
      </MemoryRouter>
    </PluginContext.Provider>
  );
}
