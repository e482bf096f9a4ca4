/**
 * Schema evolution rules of the research document (section 3): additive only. Compares a schema
 * with its last released version and lists every change an old consumer or producer would break on.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
};

const typesOf = (schema: Schema) => [schema.type ?? []].flat().sort().join('|');

export function compatibilityProblems(released: Schema, current: Schema, path = '$'): string[] {
  const problems: string[] = [];
  if (typesOf(released) !== typesOf(current)) {
    problems.push(`${path}: type changed from ${typesOf(released) || 'any'} to ${typesOf(current) || 'any'}`);
  }
  if (released.$ref !== current.$ref)
    problems.push(`${path}: reference changed from ${released.$ref} to ${current.$ref}`);
  for (const value of released.enum ?? []) {
    if (current.enum && !current.enum.includes(value))
      problems.push(`${path}: enum value ${JSON.stringify(value)} removed`);
  }
  const releasedRequired = new Set(released.required ?? []);
  for (const name of current.required ?? []) {
    if (!releasedRequired.has(name)) problems.push(`${path}.${name}: newly required`);
  }
  for (const [name, property] of Object.entries(released.properties ?? {})) {
    const now = current.properties?.[name];
    if (!now) problems.push(`${path}.${name}: removed (or renamed)`);
    else problems.push(...compatibilityProblems(property, now, `${path}.${name}`));
  }
  if (released.items && current.items)
    problems.push(...compatibilityProblems(released.items, current.items, `${path}[]`));
  for (const key of ['allOf', 'oneOf'] as const) {
    (released[key] ?? []).forEach((part, index) => {
      const now = current[key]?.[index];
      if (!now) problems.push(`${path}.${key}[${index}]: removed`);
      else problems.push(...compatibilityProblems(part, now, `${path}.${key}[${index}]`));
    });
  }
  return problems;
}
