import React, { useEffect, useLayoutEffect, useState } from 'react';
import { type Location, Route, Router, Routes, useLocation } from 'react-router';
import { css } from '@emotion/css';
import { type AppPlugin, type AppPluginMeta, type GrafanaTheme2, PluginContextProvider, locationUtil } from '@grafana/data';
import { LocationServiceProvider, type PluginPageProps, locationService } from '@grafana/runtime';
import { Stack, useStyles2 } from '@grafana/ui';

export const PLUGIN_ID = 'boro-webhook-app';
export const APP_BASE_PATH = `/a/${PLUGIN_ID}`;
export const CONFIG_PAGE_PATH = `/plugins/${PLUGIN_ID}`;

/** Binds react-router 6 to locationService's history, as Grafana's app shell does. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState<Location>(history.location);

  useLayoutEffect(() => history.listen((next: Location) => setLocation(next)), [history]);

  return (
    <Router navigator={history} location={location}>
      {children}
    </Router>
  );
}

/**
 * Turns a click on a same-origin link into a locationService navigation, as Grafana's document-wide
 * `interceptLinkClicks` handler does: plugin pages render plain `<a href>` elements (LinkButton, TextLink)
 * and rely on it to stay a single-page app.
 */
function interceptLinkClicks(event: MouseEvent): void {
  const anchor = event.target instanceof HTMLElement ? event.target.closest('a') : null;
  const href = anchor?.getAttribute('href');
  if (!anchor || !href || anchor.getAttribute('target') || event.defaultPrevented) {
    return;
  }
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  if (href.includes('://') || /^\s*mailto:/.test(href) || href.startsWith('#')) {
    return;
  }

  event.preventDefault();
  const path = locationUtil.stripBaseFromUrl(href);
  locationService.push(path.startsWith('/') ? path : `/${path}`);
}

function useLinkInterception(): void {
  useEffect(() => {
    document.addEventListener('click', interceptLinkClicks);
    return () => document.removeEventListener('click', interceptLinkClicks);
  }, []);
}

/** Returns the name of the plugin.json page whose path is the longest prefix of the current path. */
function usePageNavTitle(meta: AppPluginMeta): string {
  const { pathname } = useLocation();
  const pages = (meta.includes ?? []).filter((include) => include.type === 'page' && include.path !== undefined);
  const matches = pages.filter((page) => pathname.startsWith(page.path as string));
  matches.sort((a, b) => (b.path as string).length - (a.path as string).length);
  return matches[0]?.name ?? meta.name;
}

const getPageStyles = (theme: GrafanaTheme2) => ({
  page: css({
    minHeight: '100vh',
    padding: theme.spacing(2, 4),
    background: theme.colors.background.canvas,
  }),
  header: css({
    marginBottom: theme.spacing(2),
  }),
  title: css({
    margin: 0,
    ...theme.typography.h1,
  }),
  subTitle: css({
    color: theme.colors.text.secondary,
    marginBottom: theme.spacing(2),
  }),
  breadcrumb: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});

/**
 * Creates the replacement for Grafana's Page chrome behind `PluginPage`: the breadcrumb, the title (the page's nav
 * text, or `pageNav`), the subtitle, the info items and the actions, then the children. Grafana's
 * navigation sidebar and top bar are left out.
 */
export function createHostPluginPage(getMeta: () => AppPluginMeta) {
  return function HostPluginPage({ pageNav, subTitle, actions, info, renderTitle, children }: PluginPageProps) {
    const styles = useStyles2(getPageStyles);
    const meta = getMeta();
    const navTitle = usePageNavTitle(meta);
    const title = pageNav?.text ?? navTitle;

    return (
      <div className={styles.page} data-testid="host-plugin-page">
        <div className={styles.breadcrumb}>{[meta.name, navTitle, pageNav?.text].filter(Boolean).join(' › ')}</div>
        <div className={styles.header}>
          <Stack direction="row" justifyContent="space-between" alignItems="center">
            {renderTitle ? renderTitle(title) : <h1 className={styles.title}>{title}</h1>}
            {actions !== undefined && <Stack direction="row">{actions}</Stack>}
          </Stack>
        </div>
        {subTitle !== undefined && <div className={styles.subTitle}>{subTitle}</div>}
        {info !== undefined && (
          <Stack direction="row" gap={2}>
            {info.map((item) => (
              <div key={item.label}>
                <strong>{item.label}</strong> {item.value}
              </div>
            ))}
          </Stack>
        )}
        {children}
      </div>
    );
  };
}

const getConfigPageStyles = (theme: GrafanaTheme2) => ({
  page: css({
    minHeight: '100vh',
    padding: theme.spacing(2, 4),
    background: theme.colors.background.canvas,
  }),
  title: css({
    ...theme.typography.h1,
  }),
});

/** Renders the plugin's details page of Grafana's administration, reduced to the plugin's first config page. */
function ConfigPage({ plugin }: { plugin: AppPlugin }) {
  const styles = useStyles2(getConfigPageStyles);
  const page = plugin.configPages?.[0];
  if (page === undefined) {
    return <div data-testid="host-error">the plugin registers no config page</div>;
  }
  const Body = page.body;

  return (
    <div className={styles.page} data-testid="host-config-page">
      <h1 className={styles.title}>{plugin.meta.name}</h1>
      <h2>{page.title}</h2>
      <Body plugin={plugin} query={{}} />
    </div>
  );
}

function AppRoot({ plugin }: { plugin: AppPlugin }) {
  const location = useLocation();
  const Root = plugin.root;
  if (Root === undefined) {
    return <div data-testid="host-error">the plugin sets no root page</div>;
  }

  return (
    <Root
      meta={plugin.meta}
      basename={APP_BASE_PATH}
      path={location.pathname}
      query={Object.fromEntries(new URLSearchParams(location.search))}
      onNavChanged={() => undefined}
    />
  );
}

/** Renders the routes of Grafana that show this plugin: its app pages and its config page. */
export function HostApp({ plugin }: { plugin: AppPlugin }) {
  useLinkInterception();

  return (
    <LocationServiceProvider service={locationService}>
      <PluginContextProvider meta={plugin.meta}>
        <HostRouter>
          <Routes>
            <Route path={`${APP_BASE_PATH}/*`} element={<AppRoot plugin={plugin} />} />
            <Route path={CONFIG_PAGE_PATH} element={<ConfigPage plugin={plugin} />} />
            <Route path="*" element={<div data-testid="host-error">the test host serves no page here</div>} />
          </Routes>
        </HostRouter>
      </PluginContextProvider>
    </LocationServiceProvider>
  );
}
