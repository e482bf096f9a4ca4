/**
 * Drift between the contracts (contracts/topics.yaml, contracts/src/dapr.ts) and the Dapr resources
 * under deploy/: literal component sets (local, local-compose, cloud) and the Helm chart rendered
 * with every values file (helm from .infra/bin or PATH: `npm run check:deploy` builds it first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  APP_IDS,
  PUBSUB_NAME,
  SECRET_STORE_NAME,
  STATE_STORE_NAME,
  TASK_WRITER_ROUTES,
} from '../../contracts/src/dapr';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHART = join(ROOT, 'deploy/helm/todo-chatbot');
const BROADCAST_PUBSUB = 'kafka-pubsub-broadcast';
// The Kubernetes version the chart is rendered and validated for (scripts/check-deploy/run.sh uses the same).
const KUBE_VERSION = process.env.KUBE_VERSION ?? '1.30.0';

interface Metadata {
  name: string;
  value?: unknown;
  secretKeyRef?: { name: string; key: string };
}
interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { type?: string; version?: string; metadata?: Metadata[] };
  scopes?: string[];
}
interface Topic {
  producers: string[];
  consumers: string[];
}

const contract = parseYaml(readFileSync(join(ROOT, 'contracts/topics.yaml'), 'utf8')) as {
  topics: Record<string, Topic>;
};
const topics = contract.topics;
const topicNames = Object.keys(topics).sort();
const appIds: string[] = Object.values(APP_IDS);

/** Topics an app may publish / must consume, per the contract. */
const produces = (app: string) => topicNames.filter((t) => topics[t]?.producers.includes(app));
const consumes = (app: string) => topicNames.filter((t) => topics[t]?.consumers.includes(app));
const consumerApps = [...new Set(topicNames.flatMap((t) => topics[t]?.consumers ?? []))].sort();
/** websocket-sync must see every update on every replica: it subscribes through the broadcast component. */
const broadcastApps = [APP_IDS.websocketSync];

function loadDocs(text: string): Resource[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Resource | null)
    .filter((d): d is Resource => d !== null && typeof d === 'object' && 'kind' in d);
}

function loadDir(dir: string): Resource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => loadDocs(readFileSync(join(dir, f), 'utf8')));
}

function helmBinary(): string | undefined {
  const local = join(ROOT, '.infra/bin/helm');
  if (existsSync(local)) return local;
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
    return 'helm';
  } catch {
    return undefined;
  }
}

function render(valuesFile: string): Resource[] {
  const helm = helmBinary();
  if (!helm) throw new Error('helm not found');
  const out = execFileSync(
    helm,
    [
      'template',
      'todo',
      CHART,
      '--namespace',
      'todo-app-check',
      '--kube-version',
      KUBE_VERSION,
      '-f',
      join(CHART, valuesFile),
    ],
    { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
  );
  return loadDocs(out);
}

interface AccessControl {
  defaultAction: string;
  policies: {
    appId: string;
    defaultAction: string;
    operations: { name: string; httpVerb: string[]; action: string }[];
  }[];
}

/** Dapr's operation names: `*` stands for one path segment, `**` for any number (one or more). */
function daprOperationMatches(pattern: string, path: string): boolean {
  const wanted = pattern.split('/');
  const given = path.split('/');
  for (const [i, segment] of wanted.entries()) {
    if (segment === '**') return given.length > i;
    if (i >= given.length || (segment !== '*' && segment !== given[i])) return false;
  }
  return given.length === wanted.length;
}

function meta(c: Resource, name: string): unknown {
  return c.spec?.metadata?.find((m) => m.name === name)?.value;
}

/** Parses "app1=t1,t2;app2=" into a map; an app with an empty list may use no topic. */
function parseScopes(value: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const entry of String(value ?? '').split(';')) {
    if (!entry.trim()) continue;
    const [app, list = ''] = entry.split('=');
    map.set(
      (app ?? '').trim(),
      list
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
        .sort(),
    );
  }
  return map;
}

function component(set: Resource[], name: string): Resource {
  const c = set.find((r) => r.kind === 'Component' && r.metadata?.name === name);
  if (!c) throw new Error(`component ${name} missing`);
  return c;
}

const literalSets: Array<[string, string]> = [
  ['local', 'deploy/dapr/local'],
  ['local-compose', 'deploy/dapr/local-compose/resources'],
  ['cloud', 'deploy/dapr/cloud'],
];
const valuesFiles = readdirSync(CHART)
  .filter((f) => /^values(-[a-z]+)?\.yaml$/.test(f))
  .sort();

function checkDaprResources(set: Resource[], kubernetes: boolean): void {
  const components = set.filter((r) => r.kind === 'Component');
  const names = components.map((c) => c.metadata?.name);
  expect(new Set(names).size, 'component names are unique').toBe(names.length);

  // Names the code uses.
  const pubsub = component(set, PUBSUB_NAME);
  const broadcast = component(set, BROADCAST_PUBSUB);
  const state = component(set, STATE_STORE_NAME);
  const secrets = component(set, SECRET_STORE_NAME);
  expect(pubsub.spec?.type).toBe('pubsub.kafka');
  expect(broadcast.spec?.type).toBe('pubsub.kafka');
  expect(state.spec?.type).toBe('state.postgresql');
  expect(state.spec?.version).toBe('v2');
  expect(meta(state, 'tablePrefix')).toBe('dapr_state_');
  expect(secrets.spec?.type).toBe(kubernetes ? 'secretstores.kubernetes' : 'secretstores.local.file');

  // Every scope is a known app id.
  for (const c of components) for (const s of c.scopes ?? []) expect(appIds).toContain(s);

  // Consumer groups: shared per app id; per pod (or per process outside Kubernetes) for broadcast.
  expect(meta(pubsub, 'consumerGroup')).toBe('{appID}');
  expect(String(meta(broadcast, 'consumerGroup'))).toMatch(kubernetes ? /^\{podName\}$/ : /\{uuid\}/);
  expect(meta(pubsub, 'initialOffset')).toBe('oldest');

  // Only the contract's topics.
  expect(String(meta(pubsub, 'allowedTopics')).split(',').sort()).toEqual(topicNames);

  const pub = parseScopes(meta(pubsub, 'publishingScopes'));
  const sub = parseScopes(meta(pubsub, 'subscriptionScopes'));
  const bpub = parseScopes(meta(broadcast, 'publishingScopes'));
  const bsub = parseScopes(meta(broadcast, 'subscriptionScopes'));

  for (const app of appIds) {
    // Publishing goes through kafka-pubsub. publishingScopes is optional (the outbox relay may run in
    // any service); when set, it must grant each app exactly the contract's topics.
    if (produces(app).length > 0) expect(pubsub.scopes, `${app} in ${PUBSUB_NAME} scopes`).toContain(app);
    if (pub.size > 0) expect(pub.get(app) ?? [], `${app} publishingScopes`).toEqual(produces(app));
    // Subscribing: through exactly one of the two components.
    const viaBroadcast = broadcastApps.includes(app as typeof APP_IDS.websocketSync);
    const shared = sub.get(app) ?? [];
    const fanout = bsub.get(app) ?? [];
    if (viaBroadcast) {
      expect(shared, `${app} subscribes through ${BROADCAST_PUBSUB} only`).toEqual([]);
      expect(fanout, `${app} broadcast subscriptionScopes`).toEqual(consumes(app));
      if (consumes(app).length > 0) expect(broadcast.scopes).toContain(app);
    } else {
      expect(shared, `${app} subscriptionScopes`).toEqual(consumes(app));
      expect(fanout).toEqual([]);
      if (consumes(app).length > 0) expect(pubsub.scopes).toContain(app);
    }
  }
  // The broadcast component never publishes.
  for (const [, list] of bpub) expect(list).toEqual([]);
  for (const app of broadcast.scopes ?? [])
    expect(bpub.has(app), `${app} denied publishing on broadcast`).toBe(true);

  // The state store (idempotency keys) is for the consumers.
  expect([...(state.scopes ?? [])].sort()).toEqual(consumerApps);
  // Every app may read its secrets.
  expect([...(secrets.scopes ?? [])].sort()).toEqual([...appIds].sort());

  // Resiliency targets name real components and every app.
  const resiliency = set.find((r) => r.kind === 'Resiliency');
  expect(resiliency, 'a Resiliency resource').toBeDefined();
  const targets = resiliency?.spec?.targets as {
    apps: Record<string, unknown>;
    components: Record<string, unknown>;
  };
  for (const name of Object.keys(targets.components)) expect(names).toContain(name);
  expect(Object.keys(targets.apps).sort()).toEqual([...appIds].sort());
}

describe('contracts', () => {
  it('every producer and consumer of topics.yaml is a Dapr app id', () => {
    for (const t of topicNames) {
      for (const app of [...(topics[t]?.producers ?? []), ...(topics[t]?.consumers ?? [])]) {
        expect(appIds).toContain(app);
      }
    }
  });
});

describe.each(literalSets)('literal Dapr resources: %s', (label, dir) => {
  it('match the contracts', () => {
    checkDaprResources(loadDir(join(ROOT, dir)), label === 'cloud');
  });
});

describe('local stack configuration', () => {
  it('the local secret store file holds the secrets the components reference', () => {
    for (const dir of ['deploy/dapr/local', 'deploy/dapr/local-compose']) {
      const set = loadDir(join(ROOT, dir === 'deploy/dapr/local' ? dir : `${dir}/resources`));
      const store = component(set, SECRET_STORE_NAME);
      const file = String(meta(store, 'secretsFile')).replace(/^\/dapr\//, 'deploy/dapr/local-compose/');
      const values = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      for (const c of set.filter((r) => r.kind === 'Component')) {
        for (const m of c.spec?.metadata ?? []) {
          if (m.secretKeyRef)
            expect(values[m.secretKeyRef.name]?.[m.secretKeyRef.key], `${dir} ${m.name}`).toBeDefined();
        }
      }
    }
  });

  it('compose runs one daprd per app id with the local-compose resources', () => {
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<
        string,
        { command?: string[]; entrypoint?: string[]; network_mode?: string; volumes?: string[] }
      >;
    };
    const sidecars = Object.entries(compose.services).filter(([, s]) => s.entrypoint?.[0] === './daprd');
    const ids = sidecars.map(([, s]) => (s.command ?? []).join(' ').match(/--app-id=(\S+)/)?.[1]).sort();
    expect(ids).toEqual([...appIds].sort());
    for (const [name, s] of sidecars) {
      expect(s.network_mode).toBe(`service:${name.replace(/-dapr$/, '')}`);
      expect(s.volumes).toContain('./deploy/dapr/local-compose:/dapr:ro');
    }
  });
});

describe.each(valuesFiles)('helm chart rendered with %s', (valuesFile) => {
  it('renders Dapr resources that match the contracts', () => {
    checkDaprResources(render(valuesFile), true);
  });

  it('runs one Deployment per app id, each with its sidecar settings', () => {
    const set = render(valuesFile);
    const config = set.find((r) => r.kind === 'Configuration');
    // Every Deployment but the optional trace backend (tracing.zipkin) is an app with a sidecar.
    const deployments = set.filter((r) => r.kind === 'Deployment' && r.metadata?.name !== 'zipkin');
    const annotations = deployments.map(
      (d) =>
        (d.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata
          .annotations,
    );
    expect(annotations.map((a) => a['dapr.io/app-id']).sort()).toEqual([...appIds].sort());
    for (const a of annotations) {
      expect(a['dapr.io/enabled']).toBe('true');
      expect(a['dapr.io/app-port']).toBe('8080');
      expect(a['dapr.io/config']).toBe(config?.metadata?.name);
    }
  });

  it('lets recurring-task invoke every route of the api’s task writer, and nothing else of the api', () => {
    const config = render(valuesFile).find((r) => r.kind === 'Configuration');
    const accessControl = (config?.spec as { accessControl?: AccessControl } | undefined)?.accessControl;
    expect(accessControl?.defaultAction).toBe('deny');
    const policy = accessControl?.policies.find((p) => p.appId === APP_IDS.recurringTask);
    expect(policy?.defaultAction).toBe('deny');
    const allows = (path: string, verb: string) =>
      (policy?.operations ?? []).some(
        (op) => op.action === 'allow' && op.httpVerb.includes(verb) && daprOperationMatches(op.name, path),
      );
    for (const route of Object.values(TASK_WRITER_ROUTES)) {
      const path = route.replace(/:[a-zA-Z]+/g, '0b6f2a54-6bd5-4a47-9f49-1f0c4d2a2b71');
      expect(allows(path, 'GET') || allows(path, 'POST'), route).toBe(true);
    }
    for (const path of ['/api/tasks', '/internal/dlq', '/job/reminder-x', '/internal/task-writer-other/x']) {
      expect(allows(path, 'POST'), path).toBe(false);
    }
  });

  it('tells the services behind the ingress to believe its X-Forwarded-For, and no other service', () => {
    const set = render(valuesFile);
    const ingress = set.find((r) => r.kind === 'Ingress');
    const host = (ingress?.spec as { rules?: { host: string }[] } | undefined)?.rules?.[0]?.host;
    const tls = Boolean((ingress?.spec as { tls?: unknown[] } | undefined)?.tls?.length);
    const envOf = (appId: string) => {
      const deployment = set.find((r) => r.kind === 'Deployment' && r.metadata?.name === appId);
      const spec = deployment?.spec as {
        template: { spec: { containers: { name: string; env?: Metadata[] }[] } };
      };
      const app = spec.template.spec.containers.find((c) => c.name !== 'daprd') as { env?: Metadata[] };
      return new Map((app.env ?? []).map((e) => [e.name, e.value]));
    };
    const behindIngress: string[] = [APP_IDS.api, APP_IDS.websocketSync];
    for (const appId of appIds) {
      const env = envOf(appId);
      if (ingress && behindIngress.includes(appId)) {
        // Login limits count per client only if the client is not always the ingress controller.
        expect(env.get('TRUST_PROXY'), appId).toMatch(/^[1-9][0-9]*$|^[0-9a-f.:/,]+$/);
        expect(env.get('PUBLIC_URL'), appId).toBe(`${tls ? 'https' : 'http'}://${host}`);
      } else {
        expect(env.has('TRUST_PROXY'), appId).toBe(false);
      }
    }
  });

  it("sends the services' spans and the sidecars' to one backend, or neither traces", () => {
    const set = render(valuesFile);
    const config = set.find((r) => r.kind === 'Configuration') as {
      spec: { tracing: { zipkin?: { endpointAddress: string } } };
    };
    const endpoints = set
      .filter((r) => r.kind === 'Deployment' && r.metadata?.name !== 'zipkin')
      .map((d) => {
        const [app] = (
          d.spec as { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } }
        ).template.spec.containers;
        return app?.env?.find((variable) => variable.name === 'OTEL_EXPORTER_ZIPKIN_ENDPOINT')?.value;
      });
    const sidecars = config.spec.tracing.zipkin?.endpointAddress;
    expect(new Set(endpoints)).toEqual(new Set([sidecars]));
    // The chart's own Zipkin, when it renders one, is that backend.
    if (set.some((r) => r.kind === 'Service' && r.metadata?.name === 'zipkin')) {
      expect(sidecars).toMatch(/^http:\/\/zipkin\.[a-z0-9-]+\.svc\.cluster\.local:9411\/api\/v2\/spans$/);
    }
  });
});
