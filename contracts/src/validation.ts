import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SCHEMA_FILES, schemasDir } from './generate-types.js';
import type { DlqEnvelope, ReminderEvent, TaskEvent, TaskUpdate } from './generated.js';
import { TOPICS, type TopicName } from './topics.js';

/** The event type each topic carries. */
export interface TopicEvents {
  'task-events': TaskEvent;
  'task-updates': TaskUpdate;
  reminders: ReminderEvent;
  'dlq-events': DlqEnvelope;
}

/** A contract schema as JSON Schema, e.g. for an HTTP route that serves the same shape. */
export function contractSchema(file: (typeof SCHEMA_FILES)[number]): Record<string, unknown> {
  return JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8'));
}

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv);
for (const file of SCHEMA_FILES) ajv.addSchema(contractSchema(file), file);

const validators = new Map<TopicName, ValidateFunction>(
  TOPICS.map((topic) => [topic.name, ajv.getSchema(topic.schema) as ValidateFunction]),
);

export class SchemaViolation extends Error {
  constructor(
    readonly topic: string,
    readonly errors: ErrorObject[],
  ) {
    super(`event does not match the ${topic} schema: ${ajv.errorsText(errors)}`);
    this.name = 'SchemaViolation';
  }
}

/** Checks an event against its topic's JSON Schema; producers call it before publishing, consumers on receipt. */
export function assertValidEvent<T extends TopicName>(
  topic: T,
  event: unknown,
): asserts event is TopicEvents[T] {
  const validate = validators.get(topic);
  if (!validate) throw new Error(`unknown topic ${topic}`);
  if (!validate(event)) throw new SchemaViolation(topic, validate.errors ?? []);
}
