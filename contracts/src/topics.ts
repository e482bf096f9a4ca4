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
