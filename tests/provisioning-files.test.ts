// Static checks of the deployment files: Grafana provisioning, relay profiles, docker-compose.yml, the
// Dockerfile and the bundled dashboard. No Docker engine or Grafana runs here; the files are parsed and
// cross-checked against each other and against the repository.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseDocument } from 'yaml';

import { loadProfilesDir } from '../src/relay/provisioning/load-profiles.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PROVISIONING_DIR = join(ROOT, 'provisioning');
const PROFILES_DIR = join(PROVISIONING_DIR, 'profiles');

type Mapping = Record<string, unknown>;

function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function readJson(path: string): Mapping {
  return JSON.parse(readText(path)) as Mapping;
}

/** Parses YAML as Grafana and Compose do (merge keys allowed) and fails on any parse error. */
function parseYaml(path: string): unknown {
  const document = parseDocument(readText(path), { merge: true, prettyErrors: false });
  assert.deepEqual(
    document.errors.map((error) => error.message),
    [],
    `${path} is invalid YAML`,
  );
  return document.toJS();
}

function asMapping(value: unknown, description: string): Mapping {
  const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value);
  assert.ok(isMapping, `${description} must be a mapping, got ${JSON.stringify(value)}`);
  return value as Mapping;
}

function asList(value: unknown, description: string): unknown[] {
  assert.ok(Array.isArray(value), `${description} must be a list, got ${JSON.stringify(value)}`);
  return value;
}

function listFiles(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(path, pattern));
    else if (pattern.test(entry.name)) found.push(relative(ROOT, path));
  }
  return found.sort();
}

/** `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR-default}` references, skipping `$$` escapes. */
const VARIABLE_REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface VariableReference {
  name: string;
  defaultValue: string | undefined;
}

function variableReferences(text: string): VariableReference[] {
  const references: VariableReference[] = [];
  for (const match of text.matchAll(VARIABLE_REFERENCE)) {
    const name = match[1] ?? match[3];
    if (name !== undefined) references.push({ name, defaultValue: match[2] });
  }
  return references;
}

/** Returns the value that Compose gives `text` when no variable is set: defaults in, other references empty. */
function withComposeDefaults(text: string): string {
  return text.replace(VARIABLE_REFERENCE, (reference: string, _braced?: string, defaultValue?: string) =>
    reference === '$$' ? '$' : (defaultValue ?? ''),
  );
}

const APP_PLUGIN = readJson('src/plugin.json');
const DATASOURCE_PLUGIN = readJson('src/datasource/plugin.json');
const APP_ID = APP_PLUGIN.id as string;
const DATASOURCE_ID = DATASOURCE_PLUGIN.id as string;
const GRAFANA_PLUGINS_DIR = `/var/lib/grafana/plugins/${APP_ID}`;
const RELAY_URL = 'http://relay:8686';

const COMPOSE_TEXT = readText('docker-compose.yml');
const COMPOSE = asMapping(parseYaml('docker-compose.yml'), 'docker-compose.yml');
const SERVICES = asMapping(COMPOSE.services, 'services');

function service(name: string): Mapping {
  return asMapping(SERVICES[name], `service ${name}`);
}

function environmentOf(name: string): Mapping {
  return asMapping(service(name).environment, `environment of service ${name}`);
}

/** Bind mounts of a service as [host path, container path], host paths relative to the repository. */
function bindMounts(name: string): Array<[string, string]> {
  return asList(service(name).volumes ?? [], `volumes of ${name}`)
    .map((volume) => String(volume).split(':'))
    .filter(([source]) => source?.startsWith('./'))
    .map(([source, target]) => [source ?? '', target ?? '']);
}

function containerPathOf(name: string, hostPath: string): string | undefined {
  return bindMounts(name).find(([source]) => source === hostPath)?.[1];
}

/** Returns the folder of provisioning/profiles that the compose relay mounts as its profiles directory. */
function relayProfilesDir(): string {
  const hostPath = bindMounts('relay').find(([, target]) => target === '/app/provisioning/profiles')?.[0];
  if (hostPath === undefined || !hostPath.startsWith('./provisioning/profiles')) {
    assert.fail(`the relay must mount a folder of provisioning/profiles, got ${hostPath}`);
  }
  return join(ROOT, hostPath);
}

describe('provisioning YAML', () => {
  const files = [...listFiles(PROVISIONING_DIR, /\.ya?ml$/i), 'docker-compose.yml'];

  it('finds files', () => {
    assert.ok(files.length >= 6, `expected the provisioning files and docker-compose.yml, got ${files.join(', ')}`);
  });

  for (const file of files) {
    it(`parses ${file}`, () => {
      assert.notEqual(parseYaml(file), null);
    });
  }
});

describe('relay profiles', () => {
  const profileDirs = [...new Set(listFiles(PROFILES_DIR, /\.ya?ml$/i).map((file) => join(ROOT, dirname(file))))];

  for (const dir of profileDirs) {
    it(`loads ${relative(ROOT, dir)} without variables`, () => {
      const loaded = loadProfilesDir(dir, {});
      assert.ok(loaded.profiles.length > 0, `${dir} defines no profile`);
    });
  }

  it('keeps demo out of default dir', () => {
    const uids = loadProfilesDir(PROFILES_DIR, {}).profiles.map((profile) => profile.uid);
    assert.ok(!uids.includes('demo'), `npm start would load the compose demo profile: ${uids.join(', ')}`);
  });
});

describe('docker-compose.yml', () => {
  it('has services', () => {
    assert.deepEqual(Object.keys(SERVICES).sort(), ['grafana', 'receiver', 'relay']);
  });

  it('pins Grafana image', () => {
    const image = withComposeDefaults(String(service('grafana').image));
    const version = /^grafana\/grafana:(\d+)\.(\d+)\.(\d+)$/.exec(image);
    assert.ok(version !== null, `grafana image must be grafana/grafana:<major.minor.patch>, got '${image}'`);

    const [major, minor] = [Number(version[1]), Number(version[2])];
    assert.ok(major > 12 || (major === 12 && minor >= 3), `the plugin needs Grafana 12.3 or later, got ${image}`);
  });

  it('builds relay from Dockerfile', () => {
    for (const name of ['relay', 'receiver']) {
      const build = asMapping(service(name).build, `build of ${name}`);
      assert.equal(build.context, '.');
      assert.equal(build.dockerfile, 'Dockerfile');
      assert.equal(service(name).image, service('relay').image);
    }
  });

  it('publishes ports on loopback', () => {
    assert.deepEqual(service('grafana').ports, ['127.0.0.1:3000:3000']);
    assert.deepEqual(service('relay').ports, ['127.0.0.1:8686:8686']);
  });

  it('mounts existing host paths', () => {
    for (const name of Object.keys(SERVICES)) {
      for (const [source] of bindMounts(name)) {
        // ./dist is the plugin that `npm run build` writes.
        if (source === './dist') continue;
        assert.ok(existsSync(join(ROOT, source)), `${name} mounts ${source}, which is not in the repository`);
      }
    }
  });

  it('declares named volumes', () => {
    const declared = Object.keys(asMapping(COMPOSE.volumes, 'volumes'));
    for (const name of Object.keys(SERVICES)) {
      const named = asList(service(name).volumes ?? [], `volumes of ${name}`)
        .map((volume) => String(volume).split(':')[0] ?? '')
        .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
      for (const volume of named) assert.ok(declared.includes(volume), `${name} uses undeclared volume ${volume}`);
    }
  });

  it('mounts plugin into Grafana', () => {
    assert.equal(containerPathOf('grafana', './dist'), GRAFANA_PLUGINS_DIR);
  });

  it('mounts Grafana provisioning', () => {
    for (const folder of ['plugins', 'datasources', 'alerting', 'dashboards']) {
      assert.equal(containerPathOf('grafana', `./provisioning/${folder}`), `/etc/grafana/provisioning/${folder}`);
    }
  });

  it('allows unsigned plugins', () => {
    const allowed = String(environmentOf('grafana').GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    assert.deepEqual(allowed.sort(), [APP_ID, DATASOURCE_ID].sort());
  });

  it('starts Grafana after healthy relay', () => {
    const dependsOn = asMapping(service('grafana').depends_on, 'depends_on of grafana');
    assert.deepEqual(dependsOn.relay, { condition: 'service_healthy' });
    assert.ok(asMapping(service('relay').healthcheck, 'healthcheck of relay').test !== undefined);
  });

  it('shares tokens between Grafana and relay', () => {
    for (const variable of ['BORO_RELAY_API_TOKEN', 'BORO_RELAY_INGEST_TOKEN']) {
      assert.equal(environmentOf('grafana')[variable], environmentOf('relay')[variable], variable);
    }
  });

  it('runs demo receiver', () => {
    const command = asList(service('receiver').command, 'command of receiver').map(String);
    assert.deepEqual(command.slice(0, 3), ['node', 'bin/boro-relay.js', 'receive']);
    assert.equal(command[command.indexOf('--host') + 1], '0.0.0.0');
    assert.equal(command[command.indexOf('--port') + 1], '9000');
  });

  it('gives every variable a default or docs', () => {
    const comments = COMPOSE_TEXT.split('\n')
      .filter((line) => line.trimStart().startsWith('#'))
      .join('\n');
    for (const { name, defaultValue } of variableReferences(COMPOSE_TEXT)) {
      assert.ok(
        defaultValue !== undefined || new RegExp(`\\b${name}\\b`).test(comments),
        `docker-compose.yml uses \${${name}} without a default and without a comment that documents it`,
      );
    }
  });

  it('documents every variable', () => {
    const header = COMPOSE_TEXT.slice(0, COMPOSE_TEXT.indexOf('\nname:'));
    for (const { name } of variableReferences(COMPOSE_TEXT)) {
      assert.match(header, new RegExp(`\\b${name}\\b`), `the header comment of docker-compose.yml does not list ${name}`);
    }
  });
});

describe('Grafana provisioning', () => {
  it('enables app', () => {
    const file = asMapping(parseYaml('provisioning/plugins/app.yaml'), 'app.yaml');
    const [app] = asList(file.apps, 'apps').map((entry) => asMapping(entry, 'app'));

    assert.equal(file.apiVersion, 1);
    assert.equal(app?.type, APP_ID);
    assert.equal(app?.disabled, false);
    assert.deepEqual(app?.jsonData, { relayUrl: RELAY_URL });
    assert.deepEqual(app?.secureJsonData, { apiToken: '$BORO_RELAY_API_TOKEN' });
  });

  it('provisions data source', () => {
    const file = asMapping(parseYaml('provisioning/datasources/boro.yaml'), 'boro.yaml');
    const [datasource] = asList(file.datasources, 'datasources').map((entry) => asMapping(entry, 'data source'));

    assert.equal(file.apiVersion, 1);
    assert.equal(datasource?.type, DATASOURCE_ID);
    assert.equal(datasource?.uid, 'boro-webhook');
    assert.equal(datasource?.access, 'proxy');
    assert.deepEqual(datasource?.jsonData, { relayUrl: RELAY_URL });
    assert.deepEqual(datasource?.secureJsonData, { apiToken: '$BORO_RELAY_API_TOKEN' });
  });

  it('wires contact point to demo profile', () => {
    const file = asMapping(parseYaml('provisioning/alerting/boro.yaml'), 'alerting boro.yaml');
    const [contactPoint] = asList(file.contactPoints, 'contactPoints').map((entry) => asMapping(entry, 'contact point'));
    const [receiver] = asList(contactPoint?.receivers, 'receivers').map((entry) => asMapping(entry, 'receiver'));
    const settings = asMapping(receiver?.settings, 'settings');

    assert.equal(file.apiVersion, 1);
    assert.equal(receiver?.type, 'webhook');
    assert.equal(settings.httpMethod, 'POST');
    assert.equal(settings.authorization_scheme, 'Bearer');
    assert.equal(settings.authorization_credentials, '$BORO_RELAY_INGEST_TOKEN');

    const url = /^http:\/\/relay:8686\/api\/v1\/webhook\/([A-Za-z0-9_-]{1,40})$/.exec(String(settings.url));
    assert.ok(url !== null, `contact point url must be ${RELAY_URL}/api/v1/webhook/<profile uid>, got ${settings.url}`);

    // The profile must be one that the compose relay loads from its mounted profiles directory.
    const uids = loadProfilesDir(relayProfilesDir(), {}).profiles.map((profile) => profile.uid);
    assert.ok(uids.includes(url[1] ?? ''), `no profile ${url[1]} in ${relayProfilesDir()}: ${uids.join(', ')}`);
  });

  it('routes policy to contact point', () => {
    const file = asMapping(parseYaml('provisioning/alerting/boro.yaml'), 'alerting boro.yaml');
    const [contactPoint] = asList(file.contactPoints, 'contactPoints').map((entry) => asMapping(entry, 'contact point'));
    const [policy] = asList(file.policies, 'policies').map((entry) => asMapping(entry, 'policy'));

    assert.equal(policy?.receiver, contactPoint?.name);
  });

  it('loads bundled dashboards', () => {
    const file = asMapping(parseYaml('provisioning/dashboards/boro.yaml'), 'dashboards boro.yaml');
    const [provider] = asList(file.providers, 'providers').map((entry) => asMapping(entry, 'provider'));

    assert.equal(provider?.type, 'file');
    assert.equal(asMapping(provider?.options, 'options').path, `${GRAFANA_PLUGINS_DIR}/dashboards`);
    assert.ok(existsSync(join(ROOT, 'src/dashboards')), 'src/dashboards is built into dist/dashboards');
  });

  it('gets every variable from Grafana env', () => {
    const grafanaEnvironment = environmentOf('grafana');
    for (const folder of ['plugins', 'datasources', 'alerting', 'dashboards']) {
      for (const file of listFiles(join(PROVISIONING_DIR, folder), /\.ya?ml$/i)) {
        const text = readText(file)
          .split('\n')
          .filter((line) => !line.trimStart().startsWith('#'))
          .join('\n');
        for (const { name } of variableReferences(text)) {
          assert.ok(name in grafanaEnvironment, `${file} uses $${name}, which the grafana service does not set`);
        }
      }
    }
  });

  it('signs demo with receiver key', () => {
    const demo = loadProfilesDir(relayProfilesDir(), {}).profiles.find((profile) => profile.uid === 'demo');
    const command = asList(service('receiver').command, 'command of receiver').map(String);
    const receiverSecret = withComposeDefaults(command[command.indexOf('--secret') + 1] ?? '');

    assert.equal(demo?.signRequests, true);
    assert.equal(demo?.url, 'http://receiver:9000/boro');
    assert.equal(demo?.secretKey, receiverSecret);
  });
});

describe('Dockerfile', () => {
  /** Instructions with continuation lines joined and comments dropped. */
  const instructions = readText('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const ofKind = (kind: string) => instructions.filter((line) => line.toUpperCase().startsWith(`${kind} `));
  const ignored = readText('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('has two stages', () => {
    const stages = ofKind('FROM');
    assert.ok(stages.length >= 2, `expected a build and a runtime stage, got ${stages.length}`);
    for (const stage of stages) assert.match(stage, /^FROM node:20-bookworm-slim AS \w+$/);
  });

  it('copies existing sources', () => {
    for (const copy of ofKind('COPY').filter((line) => !line.includes('--from='))) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        assert.ok(existsSync(join(ROOT, source)), `${copy}: ${source} is not in the repository`);
        const rule = ignored.find((pattern) => source === pattern || source.startsWith(`${pattern}/`));
        assert.equal(rule, undefined, `${copy}: .dockerignore excludes ${source}`);
      }
    }
  });

  it('runs as non-root user', () => {
    const users = ofKind('USER');
    assert.ok(users.length > 0, 'the Dockerfile has no USER');
    assert.doesNotMatch(users.at(-1) ?? '', /^USER (root|0)(:|$)/);
  });

  it('has health check', () => {
    const [healthcheck] = ofKind('HEALTHCHECK');
    assert.ok(healthcheck !== undefined, 'the Dockerfile has no HEALTHCHECK');
    assert.match(healthcheck, /\/healthz/);
    assert.doesNotMatch(healthcheck, /curl|wget/);
  });

  it('listens on all interfaces', () => {
    assert.ok(ofKind('ENV').some((line) => /BORO_RELAY_HOST=0\.0\.0\.0/.test(line)));
  });

  it('starts relay', () => {
    assert.equal(ofKind('CMD').at(-1), 'CMD ["node", "bin/boro-relay.js", "serve"]');
  });

  it('installs production dependencies', () => {
    const runtimeStart = instructions.findLastIndex((line) => line.startsWith('FROM '));
    const runtime = instructions.slice(runtimeStart);
    assert.ok(runtime.some((line) => /npm ci --omit=dev/.test(line)), 'the runtime stage must run npm ci --omit=dev');
    assert.ok(runtime.some((line) => /better_sqlite3\.node/.test(line)), 'the runtime stage must copy the compiled better-sqlite3');
  });
});

describe('bundled dashboard', () => {
  const dashboard = readJson('src/dashboards/delivery-status.json');
  const datasourceRef = { type: DATASOURCE_ID, uid: '${datasource}' };

  type Panel = Mapping & { panels?: Panel[]; targets?: Mapping[] };
  const flatten = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);
  const panels = flatten((dashboard.panels ?? []) as Panel[]).filter((panel) => panel.type !== 'row');

  it('is included by app', () => {
    const includes = asList(APP_PLUGIN.includes, 'includes').map((entry) => asMapping(entry, 'include'));
    const included = includes.find((entry) => entry.type === 'dashboard');
    assert.equal(included?.path, 'dashboards/delivery-status.json');
    assert.equal(included?.name, dashboard.title);
  });

  it('uses Grafana 12.3 schema', () => {
    assert.equal(dashboard.title, 'Boro Webhook delivery status');
    // 42 is the latest schema version of @grafana/schema 13.1.1 and of Grafana 12.3's dashboard migrations.
    assert.equal(dashboard.schemaVersion, 42);
    assert.ok(String(dashboard.uid).length <= 40);
  });

  it('has data source variable', () => {
    const variables = asList(asMapping(dashboard.templating, 'templating').list, 'templating.list');
    const datasource = variables.map((entry) => asMapping(entry, 'variable')).find((entry) => entry.name === 'datasource');
    assert.equal(datasource?.type, 'datasource');
    assert.equal(datasource?.query, DATASOURCE_ID);
  });

  it('has expected panels', () => {
    const kinds = panels.map((panel) => {
      const [target] = panel.targets ?? [];
      return `${panel.type}:${target?.queryType}`;
    });
    for (const expected of ['table:profilesStatus', 'timeseries:deliveryRate', 'stat:deliveryRate', 'table:deliveries']) {
      assert.ok(kinds.includes(expected), `no ${expected} panel in ${kinds.join(', ')}`);
    }
  });

  it('queries through variable', () => {
    for (const panel of panels) {
      assert.deepEqual(panel.datasource, datasourceRef, `panel ${panel.title}`);
      for (const target of panel.targets ?? []) assert.deepEqual(target.datasource, datasourceRef, `panel ${panel.title}`);
    }
  });

  it('has unique panel ids', () => {
    const ids = panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('shows failed deliveries', () => {
    const failedTable = panels.find((panel) => panel.type === 'table' && panel.targets?.[0]?.queryType === 'deliveries');
    assert.equal(failedTable?.targets?.[0]?.state, 'failed');
  });
});

describe('data source routes', () => {
  const routes = asList(DATASOURCE_PLUGIN.routes, 'routes').map((entry) => asMapping(entry, 'route'));

  it('forwards only GET', () => {
    for (const route of routes) assert.equal(route.method, 'GET', `route ${route.path}`);
  });

  it('targets relay URL', () => {
    for (const route of routes) {
      const suffix = String(route.path).replace(/^relay/, '');
      assert.equal(route.url, `{{ .JsonData.relayUrl }}${suffix}`, `route ${route.path}`);
    }
  });

  it('limits profiles to admins', () => {
    const profiles = routes.find((route) => route.path === 'relay/api/v1/profiles');
    assert.equal(profiles?.reqRole, 'Admin');
    // Some Grafana versions check a route's role before its path, so a restricted route goes last.
    assert.equal(routes.at(-1), profiles);
  });

  it('covers data source calls', () => {
    const paths = routes.map((route) => route.path);
    const source = readText('src/datasource/datasource.ts');
    const calledPaths = [...source.matchAll(/getFromRelay<[^>]+>\(\s*this\.uid,\s*'([^']+)'/g)].map((match) => match[1]);
    assert.ok(calledPaths.length >= 4, `expected the data source's relay calls, found ${calledPaths.join(', ')}`);
    for (const path of calledPaths) {
      assert.ok(paths.includes(`relay${path}`), `the data source calls ${path}, which no route forwards`);
    }
  });
});

