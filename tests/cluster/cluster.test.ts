import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

/**
 * The chart on a real single-node Kubernetes (scripts/infra/cluster.sh, with the Dapr control
 * plane installed by Dapr's own chart), as an operator deploys it: the infrastructure of
 * deploy/kubernetes/cluster, the dev namespace with its quota, `helm install --wait`, the product
 * used through the api Service, `helm upgrade` to a new image tag while requests keep coming,
 * `helm rollback`. Runs inside the cluster's network namespace (scripts/infra/cluster-test.sh),
 * where the Service addresses are routable.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}.infra/bin`;
const CHART = `${ROOT}deploy/helm/todo-chatbot`;
const NAMESPACE = 'todo-app-dev';
const RELEASE = 'todo';
const APP_TAG = process.env.CLUSTER_APP_TAG ?? 'latest';
const NEXT_TAG = process.env.CLUSTER_NEXT_TAG ?? `${APP_TAG}-next`;
const run = promisify(execFile);

async function kubectl(...args: string[]) {
  const { stdout } = await run(`${BIN}/kubectl`, args, { timeout: 120_000, maxBuffer: 16 << 20 });
  return stdout;
}
async function helm(...args: string[]) {
  const { stdout } = await run(`${BIN}/helm`, args, { timeout: 900_000, maxBuffer: 16 << 20 });
  return stdout;
}
async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  console.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
async function clusterIp(namespace: string, service: string) {
  return (
    await kubectl('-n', namespace, 'get', 'service', service, '-o', 'jsonpath={.spec.clusterIP}')
  ).trim();
}

const VALUES = [
  ['-f', `${CHART}/values-local.yaml`],
  ['--set', 'image.repository=localhost/todo/app', '--set', 'image.pullPolicy=Never'],
  [
    '--set',
    'chartManagedSecret.databaseUrl=postgres://postgres@postgres.todo-infra.svc.cluster.local:5432/postgres',
  ],
  ['--set', 'chartManagedSecret.smtpUrl=smtp://smtp.todo-infra.svc.cluster.local:2525'],
  ['--set', 'kafka.brokers=kafka.todo-infra.svc.cluster.local:9092'],
  // The bridge CNI here enforces no NetworkPolicy: none is rendered rather than one that is ignored.
  ['--set', 'networkPolicy.enabled=false'],
].flat();

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

describe('the chart on a Kubernetes cluster', () => {
  let api: string;
  let mail: string;

  beforeAll(async () => {
    const infra = (await readFile(`${ROOT}deploy/kubernetes/cluster/infra.yaml`, 'utf8')).replaceAll(
      '__CHECKOUT__',
      ROOT.replace(/\/$/, ''),
    );
    await timed('infrastructure (PostgreSQL, Kafka, SMTP catcher) ready', async () => {
      const apply = run(`${BIN}/kubectl`, ['apply', '-f', '-'], { timeout: 120_000 });
      apply.child.stdin?.end(infra);
      await apply;
      for (const name of ['postgres', 'kafka', 'smtp']) {
        await kubectl('-n', 'todo-infra', 'rollout', 'status', `deployment/${name}`, '--timeout=600s');
      }
    });
    await kubectl('apply', '-f', `${ROOT}deploy/kubernetes/namespaces/dev.yaml`);
    await timed('helm install --wait (topics and migration Jobs, five services with sidecars)', () =>
      helm(
        'install',
        RELEASE,
        CHART,
        '-n',
        NAMESPACE,
        ...VALUES,
        '--set',
        `image.tag=${APP_TAG}`,
        '--wait',
        '--timeout',
        '15m',
      ),
    );
    api = `http://${await clusterIp(NAMESPACE, 'api-service')}`;
    mail = `http://${await clusterIp('todo-infra', 'smtp')}:8025`;
  }, 1_800_000);

  it('injects a Dapr sidecar into every service pod', async () => {
    const pods = JSON.parse(
      await kubectl('-n', NAMESPACE, 'get', 'pods', '-l', 'todo-chatbot/service=true', '-o', 'json'),
    );
    expect(pods.items).toHaveLength(5);
    for (const pod of pods.items) {
      const names = pod.spec.containers.map((container: { name: string }) => container.name);
      expect(names).toContain('daprd');
      expect(pod.status.containerStatuses.every((status: { ready: boolean }) => status.ready)).toBe(true);
    }
  });

  it('signs up, gets the reminder e-mail, completes a recurring task, sees the next occurrence', async () => {
    const user = await new ApiClient(api).signup('Europe/Berlin');
    const { body: me } = await user.patch('/api/me', { email_notifications: true });
    const created = await user.post('/api/tasks', {
      title: 'Water the plants',
      due_at: new Date(Date.now() + 5000).toISOString(),
      recurrence: 'FREQ=DAILY',
      reminders: ['PT2S'],
    });
    expect(created.status).toBe(201);
    const first = created.body;

    // The reminder: a job in Dapr's scheduler (three replicas in dapr-system), fired back into the
    // api through its sidecar, a notification, an e-mail from the notification pod to the catcher.
    const mails = await eventually(async () => {
      const response = await fetch(`${mail}/messages`);
      const mine = ((await response.json()) as Mail[]).filter((message) => message.to.includes(me.email));
      expect(mine).toHaveLength(1);
      return mine;
    }, 120_000);
    expect(mails[0]?.subject).toContain('Water the plants');

    // Completing it: task-events through Kafka to the recurring-task pod, the next occurrence.
    expect((await user.post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
    const next = await eventually(async () => {
      const series = (await user.getAll('/api/tasks?sort=created')).filter(
        (task: { series_id: string | null }) => task.series_id === first.id,
      );
      expect(series).toHaveLength(2);
      return series.find((task: { id: string }) => task.id !== first.id);
    }, 120_000);
    expect(next.completed_at).toBeNull();
    expect(new Date(next.due_at).getTime() - new Date(first.due_at).getTime()).toBeGreaterThan(22 * 3600_000);
  });

  it('upgrades to a new image tag with no failed request, the migration Job first; rolls back', async () => {
    const user = await new ApiClient(api).signup('UTC');
    const before = await user.post('/api/tasks', { title: 'written before the upgrade' });
    expect(before.status).toBe(201);

    // A bounded request loop for the whole rollout: one write and one read each round.
    const failures: string[] = [];
    const written: string[] = [before.body.id];
    let rolling = true;
    const loop = (async () => {
      for (let round = 0; rolling && round < 20_000; round++) {
        try {
          const write = await user.post('/api/tasks', { title: `written during the upgrade #${round}` });
          if (write.status === 201) written.push(write.body.id);
          else failures.push(`POST ${write.status}`);
          const read = await user.get('/api/tasks?limit=1');
          if (read.status !== 200) failures.push(`GET ${read.status}`);
        } catch (error) {
          failures.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const upgradeStarted = Date.now();
    await timed(`helm upgrade to ${NEXT_TAG} --wait`, () =>
      helm(
        'upgrade',
        RELEASE,
        CHART,
        '-n',
        NAMESPACE,
        ...VALUES,
        '--set',
        `image.tag=${NEXT_TAG}`,
        '--wait',
        '--timeout',
        '15m',
      ),
    );
    rolling = false;
    await loop;
    expect(failures).toEqual([]);
    expect(written.length).toBeGreaterThan(10);

    const deployment = JSON.parse(
      await kubectl('-n', NAMESPACE, 'get', 'deployment', 'api-service', '-o', 'json'),
    );
    expect(deployment.spec.template.spec.containers[0].image).toBe(`localhost/todo/app:${NEXT_TAG}`);
    // The pre-upgrade hook: the migration Job completed after the upgrade began and before the new
    // api ReplicaSet was created (the hook deletes the Job once it succeeded; its events stay).
    const events = JSON.parse(
      await kubectl(
        '-n',
        NAMESPACE,
        'get',
        'events',
        '-o',
        'json',
        '--field-selector',
        `involvedObject.kind=Job,involvedObject.name=${RELEASE}-migrate,reason=Completed`,
      ),
    );
    const completions = events.items.map((event: { lastTimestamp: string; eventTime: string }) =>
      Date.parse(event.lastTimestamp ?? event.eventTime),
    );
    const sets = JSON.parse(
      await kubectl(
        '-n',
        NAMESPACE,
        'get',
        'replicasets',
        '-l',
        'app.kubernetes.io/component=api',
        '-o',
        'json',
      ),
    );
    const newSet = sets.items.find(
      (set: { spec: { template: { spec: { containers: { image: string }[] } } } }) =>
        set.spec.template.spec.containers[0]?.image === `localhost/todo/app:${NEXT_TAG}`,
    );
    const newSetCreated = Date.parse(newSet.metadata.creationTimestamp);
    expect(completions.some((at: number) => at >= upgradeStarted - 1000 && at <= newSetCreated + 1000)).toBe(
      true,
    );

    await timed('helm rollback --wait', () =>
      helm('rollback', RELEASE, '1', '-n', NAMESPACE, '--wait', '--timeout', '15m'),
    );
    const rolledBack = JSON.parse(
      await kubectl('-n', NAMESPACE, 'get', 'deployment', 'api-service', '-o', 'json'),
    );
    expect(rolledBack.spec.template.spec.containers[0].image).toBe(`localhost/todo/app:${APP_TAG}`);
    // Everything written before and during the upgrade is still served after the rollback.
    const ids = await eventually(async () => {
      const tasks = await user.getAll('/api/tasks');
      return new Set(tasks.map((task: { id: string }) => task.id));
    }, 60_000);
    expect(written.filter((id) => !ids.has(id))).toEqual([]);
  });
});
