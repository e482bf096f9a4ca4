/**
 * Derives the TypeScript event types from the JSON Schemas (the source of truth), so they are never
 * written twice. `npm run contracts:types` rewrites src/generated.ts; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { SCHEMA_FILES, schemasDir } from './schema-files.js';
export const generatedFile = fileURLToPath(new URL('./generated.ts', import.meta.url));

export async function generateTypes(): Promise<string> {
  const parts: string[] = [];
  for (const file of SCHEMA_FILES) {
    const schema = JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8'));
    parts.push(
      await compile(schema, schema.title, {
        cwd: schemasDir,
        bannerComment: '',
        declareExternallyReferenced: [
          'task.schema.json',
          'list.schema.json',
          'envelope.schema.json',
        ].includes(file),
        additionalProperties: false,
        format: false,
      }),
    );
  }
  const banner = '// Generated from contracts/schemas by `npm run contracts:types`. Do not edit.\n';
  return `${banner}${parts.join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(generatedFile, await generateTypes());
}
