/**
 * `npm run topics:provision`: creates the Kafka topics of contracts/topics.yaml (partitions,
 * retention, snappy compression) through the admin API. Idempotent: existing topics are left as
 * they are, and any difference from the contract is reported as drift, never "fixed" by deleting.
 * Env: KAFKA_BROKERS (127.0.0.1:19092), KAFKA_REPLICATION_FACTOR (the contract's local value).
 */
import { fileURLToPath } from 'node:url';
import { TOPICS, topicsFile } from '@todo/contracts/topics';
import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS: its named exports exist only on the default export under ESM.
const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

export const DEFAULT_BROKERS = '127.0.0.1:19092';
const DAY_MS = 24 * 3600 * 1000;

export function kafkaAdmin(brokers = process.env.KAFKA_BROKERS ?? DEFAULT_BROKERS): Admin {
  return new Kafka({
    clientId: 'todo-topics',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    // Readiness probes must answer quickly when the broker is down, not after kafkajs' long retries.
    retry: { retries: 2, initialRetryTime: 200 },
    connectionTimeout: 3000,
  }).admin();
}

/** The topic-level configs the contract fixes, as Kafka names them. */
function wantedConfig(retentionDays: number): Record<string, string> {
  return {
    'retention.ms': String(retentionDays * DAY_MS),
    'compression.type': topicsFile.defaults.compression,
  };
}

/** The contract's topics the broker does not have, for /readyz ("topics missing: x, y"). */
export async function missingTopics(admin: Admin): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return TOPICS.map((topic) => topic.name).filter((name) => !existing.has(name));
}

export interface ProvisionReport {
  created: string[];
  unchanged: string[];
  /** One line per difference between the broker and the contract, e.g. "reminders: partitions 1, want 3". */
  drift: string[];
}

export async function provisionTopics(
  admin: Admin,
  replicationFactor = Number(
    process.env.KAFKA_REPLICATION_FACTOR ?? topicsFile.defaults.replicationFactor.local,
  ),
): Promise<ProvisionReport> {
  const missing = new Set(await missingTopics(admin));
  const report: ProvisionReport = { created: [], unchanged: [], drift: [] };
  const toCreate = TOPICS.filter((topic) => missing.has(topic.name));
  if (toCreate.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: toCreate.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor,
        configEntries: Object.entries(wantedConfig(topic.retentionDays)).map(([name, value]) => ({
          name,
          value,
        })),
      })),
    });
    report.created.push(...toCreate.map((topic) => topic.name));
  }

  const existing = TOPICS.filter((topic) => !missing.has(topic.name));
  if (existing.length === 0) return report;
  const metadata = await admin.fetchTopicMetadata({ topics: existing.map((topic) => topic.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: existing.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name })),
  });
  for (const topic of existing) {
    const before = report.drift.length;
    const partitions = metadata.topics.find((t) => t.name === topic.name)?.partitions ?? [];
    if (partitions.length !== topic.partitions) {
      report.drift.push(`${topic.name}: partitions ${partitions.length}, want ${topic.partitions}`);
    }
    const replicas = partitions[0]?.replicas.length ?? 0;
    if (replicas !== replicationFactor) {
      report.drift.push(`${topic.name}: replication factor ${replicas}, want ${replicationFactor}`);
    }
    const entries = configs.resources.find((r) => r.resourceName === topic.name)?.configEntries ?? [];
    for (const [name, want] of Object.entries(wantedConfig(topic.retentionDays))) {
      const actual = entries.find((entry) => entry.configName === name)?.configValue;
      if (actual !== want) report.drift.push(`${topic.name}: ${name} ${actual ?? '(unset)'}, want ${want}`);
    }
    if (report.drift.length === before) report.unchanged.push(topic.name);
  }
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const admin = kafkaAdmin();
  try {
    await admin.connect();
    const report = await provisionTopics(admin);
    if (report.created.length > 0) console.log(`created: ${report.created.join(', ')}`);
    if (report.unchanged.length > 0) console.log(`as contracted: ${report.unchanged.join(', ')}`);
    for (const line of report.drift) console.error(`drift: ${line}`);
    // Drift is reported, not repaired (shrinking partitions or rewriting retention is an operator's call).
    if (report.drift.length > 0) process.exitCode = 3;
  } catch (error) {
    console.error(`topics: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await admin.disconnect();
  }
}
