/**
 * Where the JSON Schemas (the source of truth of the events) are, for validation at run time and
 * for the type generator — apart from the generator, whose compiler is a development dependency.
 */
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILES = [
  'task.schema.json',
  'list.schema.json',
  'envelope.schema.json',
  'task-event.schema.json',
  'task-update.schema.json',
  'reminder-event.schema.json',
  'dlq-envelope.schema.json',
] as const;

export const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));
