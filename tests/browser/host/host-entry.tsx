/**
 * Entry of the browser test host: a page that loads the built plugin (`dist/module.js`) the way Grafana
 * does. It shares Grafana's libraries with the plugin through an AMD registry, sets the runtime services
 * the plugin's pages use (backendSrv, locationService, the PluginPage chrome, the theme) and renders the
 * app's root page under /a/boro-webhook-app/* and its config page under /plugins/boro-webhook-app.
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as ReactJsxRuntime from 'react/jsx-runtime';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as Rxjs from 'rxjs';
import * as RxjsOperators from 'rxjs/operators';
import * as EmotionCss from '@emotion/css';
import * as EmotionReact from '@emotion/react';
import * as Lodash from 'lodash';
import * as I18next from 'i18next';
import * as GrafanaData from '@grafana/data';
import * as GrafanaUi from '@grafana/ui';
import * as GrafanaRuntime from '@grafana/runtime';
import * as GrafanaRuntimeUnstable from '@grafana/runtime/unstable';
import { initPluginTranslations } from '@grafana/i18n';
import { type AppPlugin, type AppPluginMeta, ThemeContext, createTheme } from '@grafana/data';
import { getBackendSrv, setBackendSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';
// `setPluginPage` is internal to Grafana and left out of the package's exports. The host bundle aliases this
// name to the module file that `PluginPage` is exported from (see host-bundle.ts), so both share one instance.
import { setPluginPage } from 'grafana-runtime-plugin-page';
import { type ModuleRegistry, asAmdModule, installAmdDefine, loadAmdModule } from './amd-loader';
import { createFetchBackendSrv } from './backend-srv';
import { HostApp, PLUGIN_ID, createHostPluginPage } from './host-app';

const MODULE_PATH = `/public/plugins/${PLUGIN_ID}/module.js`;

declare global {
  interface Window {
    /** Set once the plugin has rendered, or to the boot error; the browser test waits for it. */
    __hostStatus?: { ready: true } | { ready: false; error: string };
  }
}

function createRegistry(): ModuleRegistry {
  return {
    react: asAmdModule(React),
    'react-dom': asAmdModule(ReactDOM),
    'react-dom/client': asAmdModule(ReactDOMClient),
    'react/jsx-runtime': asAmdModule(ReactJsxRuntime),
    'react-router': asAmdModule(ReactRouter),
    'react-router-dom': asAmdModule(ReactRouterDom),
    rxjs: asAmdModule(Rxjs),
    'rxjs/operators': asAmdModule(RxjsOperators),
    '@emotion/css': asAmdModule(EmotionCss),
    '@emotion/react': asAmdModule(EmotionReact),
    lodash: asAmdModule(Lodash),
    i18next: asAmdModule(I18next),
    '@grafana/data': asAmdModule(GrafanaData),
    '@grafana/ui': asAmdModule(GrafanaUi),
    '@grafana/runtime': asAmdModule(GrafanaRuntime),
    '@grafana/runtime/unstable': asAmdModule(GrafanaRuntimeUnstable),
    // Webpack's public path comes from the AMD `module` dependency: chunks load next to module.js.
    module: { uri: MODULE_PATH },
  };
}

async function loadPlugin(meta: AppPluginMeta): Promise<AppPlugin> {
  const exports = (await loadAmdModule(MODULE_PATH)) as { plugin?: AppPlugin } | undefined;
  const plugin = exports?.plugin;
  if (plugin === undefined) {
    throw new Error(`${MODULE_PATH} exports no 'plugin'`);
  }
  plugin.meta = meta;
  plugin.init(meta);
  return plugin;
}

function showBootError(error: unknown): void {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  console.error(`test host failed to start: ${message}`);
  window.__hostStatus = { ready: false, error: message };

  const pre = document.createElement('pre');
  pre.dataset.testid = 'host-boot-error';
  pre.textContent = message;
  document.body.appendChild(pre);
}

async function boot(): Promise<void> {
  setBackendSrv(createFetchBackendSrv());
  await initPluginTranslations('grafana');
  installAmdDefine(createRegistry());

  // Grafana reads the app's settings (jsonData, secureJsonFields) from this endpoint before it loads the app.
  const meta = await getBackendSrv().get<AppPluginMeta>(`/api/plugins/${PLUGIN_ID}/settings`);
  const plugin = await loadPlugin(meta);
  setPluginPage(createHostPluginPage(() => plugin.meta));

  const theme = createTheme({ colors: { mode: 'dark' } });
  const container = document.getElementById('reactRoot');
  if (container === null) {
    throw new Error('the host page has no #reactRoot element');
  }
  ReactDOMClient.createRoot(container).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <HostApp plugin={plugin} />
    </ThemeContext.Provider>,
  );
  window.__hostStatus = { ready: true };
}

boot().catch(showBootError);
