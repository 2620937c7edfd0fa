import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export const PLUGIN_ID = 'boro-webhook-app';
const APP_PATH_PREFIX = `/a/${PLUGIN_ID}`;
const CONFIG_PAGE_PATH = `/plugins/${PLUGIN_ID}`;
const PLUGIN_ASSETS_PREFIX = `/public/plugins/${PLUGIN_ID}/`;
const HOST_ASSETS_PREFIX = '/host/';
/**
 * Where Grafana serves its icons. @grafana/ui's package contains a subset of them (no `spinner`, for one),
 * so the host returns 404 for the rest, and those icons stay blank.
 */
export const ICONS_PREFIX = '/public/build/img/icons/';
/** Grafana's fonts (Inter, Roboto Mono) ship with Grafana, not on npm: the pages fall back to system fonts. */
export const FONTS_PREFIX = '/public/fonts/';
const SETTINGS_PATH = `/api/plugins/${PLUGIN_ID}/settings`;
const RELAY_PROXY_PREFIX = `/api/plugin-proxy/${PLUGIN_ID}/relay`;

/** Headers that apply to one connection only, so a proxy does not forward them. */
const HOP_BY_HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.md': 'text/markdown; charset=utf-8',
};

/** The app's settings as Grafana stores them: `secureJsonData` never leaves the server. */
export interface AppSettingsState {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/** One request that went through the relay route of the plugin proxy. */
export interface ProxiedRequest {
  method: string;
  /** Path and query as the relay received it. */
  relayPath: string;
  /** True when the browser sent its own Authorization header, which the proxy replaced. */
  browserSentAuthorization: boolean;
  /** The relay's status code, or 502 when the relay was unreachable. */
  status: number;
}

export interface PluginHostOptions {
  /** The built plugin (`dist/`), served at /public/plugins/boro-webhook-app/. */
  distDir: string;
  /** The host bundle's directory, served at /host/. */
  hostBundleDir: string;
  /** @grafana/ui's icon SVGs, served where Grafana serves them (/public/build/img/icons/). */
  iconsDir: string;
  settings: AppSettingsState;
}

export interface PluginHost {
  url: string;
  /** The stored settings; tests may replace fields between page loads. */
  settings: AppSettingsState;
  proxiedRequests: ProxiedRequest[];
  close(): Promise<void>;
}

function hostPageHtml(): string {
  const bootData = {
    settings: { appSubUrl: '', appUrl: '/', buildInfo: { version: '13.1.1', env: 'production' }, featureToggles: {} },
    user: { id: 1, login: 'admin', name: 'admin', orgId: 1, orgRole: 'Admin', isGrafanaAdmin: true, theme: 'dark', language: 'en-US' },
    navTree: [],
    assets: { dark: '', light: '' },
  };
  return `<!doctype html>
<html lang="en-US">
  <head>
    <meta charset="utf-8" />
    <title>Boro Webhook - Grafana (browser test host)</title>
    <link rel="stylesheet" href="${HOST_ASSETS_PREFIX}host.css" />
    <!-- Grafana's own stylesheet resets the body margin; GlobalStyles does not. -->
    <style>html, body { margin: 0; }</style>
    <script>
      window.grafanaBootData = ${JSON.stringify(bootData)};
      window.__grafana_public_path__ = '/public/';
    </script>
  </head>
  <body class="theme-dark app-grafana">
    <div id="reactRoot"></div>
    <script src="${HOST_ASSETS_PREFIX}host.js"></script>
  </body>
</html>
`;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Serves a file under `rootDir`, refusing paths that leave it. */
function serveFile(response: ServerResponse, rootDir: string, relativePath: string): void {
  const root = normalize(rootDir + sep);
  const path = normalize(join(root, decodeURIComponent(relativePath)));
  if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
    sendJson(response, 404, { message: `file not found: ${relativePath}` });
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  createReadStream(path).pipe(response);
}

/** Builds the plugin's settings DTO like Grafana's GET /api/plugins/:id/settings, from plugin.json and the store. */
function settingsDto(distDir: string, settings: AppSettingsState): unknown {
  const pluginJson = JSON.parse(readFileSync(join(distDir, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  const secureJsonFields = Object.fromEntries(
    Object.entries(settings.secureJsonData)
      .filter(([, value]) => value !== '')
      .map(([key]) => [key, true]),
  );
  return {
    ...pluginJson,
    enabled: settings.enabled,
    pinned: settings.pinned,
    module: `public/plugins/${PLUGIN_ID}/module.js`,
    baseUrl: `public/plugins/${PLUGIN_ID}`,
    defaultNavUrl: `${APP_PATH_PREFIX}/profiles`,
    jsonData: settings.jsonData,
    secureJsonFields,
  };
}

/**
 * Applies a POST /api/plugins/:id/settings body: jsonData is replaced, and each secureJsonData key that is
 * sent replaces the stored value, so secrets left out are kept.
 * NOTE: this models Grafana's behaviour as plugin config pages rely on it; it was not checked against Grafana's source.
 */
function updateSettings(settings: AppSettingsState, body: Record<string, unknown>): void {
  if (typeof body.enabled === 'boolean') settings.enabled = body.enabled;
  if (typeof body.pinned === 'boolean') settings.pinned = body.pinned;
  if (typeof body.jsonData === 'object' && body.jsonData !== null) {
    settings.jsonData = body.jsonData as Record<string, unknown>;
  }
  if (typeof body.secureJsonData === 'object' && body.secureJsonData !== null) {
    for (const [key, value] of Object.entries(body.secureJsonData as Record<string, unknown>)) {
      settings.secureJsonData[key] = String(value);
    }
  }
}

async function handleSettings(request: IncomingMessage, response: ServerResponse, options: PluginHostOptions, settings: AppSettingsState) {
  if (request.method === 'GET') {
    sendJson(response, 200, settingsDto(options.distDir, settings));
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, { message: `method ${request.method} is not allowed on ${SETTINGS_PATH}` });
    return;
  }

  const raw = await readBody(request);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    sendJson(response, 400, { message: 'bad request data: the body is not JSON' });
    return;
  }
  updateSettings(settings, body as Record<string, unknown>);
  sendJson(response, 200, { message: 'Plugin settings updated' });
}

/**
 * Parses the stored relay URL, or returns null unless it is an http URL on a loopback address: the test
 * host sends traffic only to servers the test starts, whatever URL the config page saves.
 */
function loopbackHttpUrl(relayUrl: unknown): URL | null {
  if (typeof relayUrl !== 'string' || !URL.canParse(relayUrl)) {
    return null;
  }
  const url = new URL(relayUrl);
  const loopback = /^127(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname === '[::1]' || url.hostname === 'localhost';
  return url.protocol === 'http:' && loopback ? url : null;
}

/**
 * Forwards a request to the relay as Grafana's plugin proxy does for the `relay` route of plugin.json:
 * the target is `jsonData.relayUrl`, the browser's Authorization and Cookie headers are dropped and
 * `Authorization: Bearer <secureJsonData.apiToken>` is set.
 */
function proxyToRelay(request: IncomingMessage, response: ServerResponse, settings: AppSettingsState, log: ProxiedRequest[]): void {
  const rest = (request.url ?? '').slice(RELAY_PROXY_PREFIX.length);
  const record: ProxiedRequest = {
    method: request.method ?? 'GET',
    relayPath: rest === '' ? '/' : rest,
    browserSentAuthorization: request.headers.authorization !== undefined,
    status: 502,
  };
  log.push(record);

  const badGateway = () => {
    if (!response.headersSent) {
      response.writeHead(502);
    }
    response.end();
  };

  const target = loopbackHttpUrl(settings.jsonData.relayUrl);
  if (target === null) {
    badGateway();
    return;
  }

  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!HOP_BY_HOP_HEADERS.has(name) && name !== 'host' && name !== 'authorization' && name !== 'cookie') {
      headers[name] = value;
    }
  }
  headers.authorization = `Bearer ${settings.secureJsonData.apiToken ?? ''}`;

  const upstream = httpRequest(
    {
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port,
      method: request.method,
      path: `${target.pathname.replace(/\/$/, '')}${record.relayPath}`,
      headers,
    },
    (upstreamResponse) => {
      record.status = upstreamResponse.statusCode ?? 502;
      const responseHeaders: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(upstreamResponse.headers)) {
        if (!HOP_BY_HOP_HEADERS.has(name)) responseHeaders[name] = value;
      }
      response.writeHead(record.status, responseHeaders);
      upstreamResponse.pipe(response);
    },
  );
  upstream.on('error', badGateway);
  request.pipe(upstream);
}

/**
 * Starts the replacement for Grafana's server on a loopback port: the host page, the plugin's files, the
 * app's settings API and the plugin proxy's `relay` route.
 */
export async function startPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  const settings = options.settings;
  const proxiedRequests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host.invalid').pathname;

    if (path === CONFIG_PAGE_PATH || path === APP_PATH_PREFIX || path.startsWith(`${APP_PATH_PREFIX}/`)) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(hostPageHtml());
    } else if (path === '/favicon.ico') {
      response.writeHead(204).end();
    } else if (path.startsWith(HOST_ASSETS_PREFIX)) {
      serveFile(response, options.hostBundleDir, path.slice(HOST_ASSETS_PREFIX.length));
    } else if (path.startsWith(ICONS_PREFIX)) {
      serveFile(response, options.iconsDir, path.slice(ICONS_PREFIX.length));
    } else if (path.startsWith(PLUGIN_ASSETS_PREFIX)) {
      serveFile(response, options.distDir, path.slice(PLUGIN_ASSETS_PREFIX.length));
    } else if (path === SETTINGS_PATH) {
      handleSettings(request, response, options, settings).catch(() => sendJson(response, 500, { message: 'reading the request failed' }));
    } else if (path === RELAY_PROXY_PREFIX || path.startsWith(`${RELAY_PROXY_PREFIX}/`)) {
      proxyToRelay(request, response, settings, proxiedRequests);
    } else {
      sendJson(response, 404, { message: `not found: ${path}` });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    settings,
    proxiedRequests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
