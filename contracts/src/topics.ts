import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface TopicSpec {
  name: TopicName;
  partitions: number;
  retentionDays: number;
  key: string;
  schema: string;
  producers: string[];
  consumers: string[];
}

export const TOPIC_NAMES = ['task-events', 'task-updates', 'reminders', 'dlq-events'] as const;
export type TopicName = (typeof TOPIC_NAMES)[number];

interface TopicsFile {
  defaults: { replicationFactor: { local: number; production: number }; compression: string };
  topics: Record<TopicName, Omit<TopicSpec, 'name'>>;
}

/** contracts/topics.yaml, read once: the topics, their settings and who produces and consumes them. */
export const topicsFile: TopicsFile = parse(readFileSync(new URL('../topics.yaml', import.meta.url), 'utf8'));

export const TOPICS: TopicSpec[] = TOPIC_NAMES.map((name) => ({ name, ...topicsFile.topics[name] }));

const SPEC_OF = new Map(TOPICS.map((spec) => [spec.name, spec]));

/** The partition key of an event on `topic`: the field contracts/topics.yaml declares as its `key`. */
export function partitionKeyOf(topic: TopicName, event: object): string {
  const field = SPEC_OF.get(topic)?.key ?? '';
  const key: unknown = (event as Record<string, unknown>)[field];
  if (typeof key !== 'string') throw new Error(`an event on ${topic} has no ${field} to partition by`);
  return key;
}
