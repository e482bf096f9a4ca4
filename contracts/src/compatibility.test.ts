import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compatibilityProblems } from './compatibility.js';
import { generatedFile, generateTypes } from './generate-types.js';
import { SCHEMA_FILES } from './schema-files.js';

const LAST_RELEASE = new URL('../released/1.0/', import.meta.url);
const CURRENT = new URL('../schemas/', import.meta.url);
const read = (dir: URL, file: string) => JSON.parse(readFileSync(new URL(file, dir), 'utf8'));

describe('event schema compatibility with the last release', () => {
  it.each(readdirSync(LAST_RELEASE).filter((file) => file.endsWith('.json')))(
    '%s changed only additively',
    (file) => {
      expect(compatibilityProblems(read(LAST_RELEASE, file), read(CURRENT, file))).toEqual([]);
    },
  );

  const task = read(CURRENT, 'task.schema.json');
  const withProperties = (changes: Record<string, unknown>, required = task.required) => ({
    ...task,
    required,
    properties: { ...task.properties, ...changes },
  });

  it('accepts a new optional field', () => {
    expect(compatibilityProblems(task, withProperties({ colour: { type: 'string' } }))).toEqual([]);
  });

  it('refuses a removed field, a changed type, a rename and a newly required field', () => {
    const { title, ...withoutTitle } = task.properties;
    expect(compatibilityProblems(task, { ...task, properties: withoutTitle })).toContain(
      '$.title: removed (or renamed)',
    );
    expect(compatibilityProblems(task, withProperties({ occurrence: { type: 'string' } }))).toContain(
      '$.occurrence: type changed from integer to string',
    );
    const renamed = { ...task, properties: { ...withoutTitle, name: title } };
    expect(compatibilityProblems(task, renamed)).toContain('$.title: removed (or renamed)');
    const optionalAdded = withProperties({ colour: { type: 'string' } });
    expect(
      compatibilityProblems(optionalAdded, { ...optionalAdded, required: [...task.required, 'colour'] }),
    ).toEqual(['$.colour: newly required']);
    expect(
      compatibilityProblems(task, withProperties({ priority: { type: 'string', enum: ['low', 'high'] } })),
    ).toEqual(['$.priority: enum value "medium" removed', '$.priority: enum value "urgent" removed']);
  });

  it('the TypeScript types are generated from the current schemas (run `npm run contracts:types`)', async () => {
    expect(SCHEMA_FILES.length).toBeGreaterThan(0);
    // Compared after the repository's formatter, which `contracts:types` also runs.
    const biome = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));
    const fresh = execFileSync(biome, ['format', `--stdin-file-path=${generatedFile}`], {
      input: await generateTypes(),
      encoding: 'utf8',
    });
    expect(readFileSync(generatedFile, 'utf8')).toBe(fresh);
  });
});
