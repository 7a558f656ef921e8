/**
 * The config's TypeScript types, generated from its JSON Schema (src/config/schema.ts), so that the
 * two are never written twice by hand: `npm run build:schema` writes src/config/types.generated.ts
 * with the schema files, and test/unit/generated-docs.test.ts fails when the committed file is stale.
 *
 * Handles the part of JSON Schema the config schema uses: `type` (object, array, string, number,
 * integer, boolean), `properties` with `required`, `additionalProperties` (false or a schema),
 * `items`, `enum`, `anyOf`, `allOf` (an intersection; a `$ref` is an object), `description` (as a doc
 * comment). Keywords that only narrow a value (`minLength`, `pattern`, `propertyNames`) have no type.
 */
import { configSchema } from '../src/config/schema.js';
import type { JsonSchema } from '../src/rule.js';

const HEADER = `/**
 * The config file's types, generated from its JSON Schema (src/config/schema.ts) by
 * \`npm run build:schema\` (scripts/schema-types.ts): do not edit. test/unit/generated-docs.test.ts
 * fails when this file differs from the schema.
 *
 * Room config: must not import run, format, app.
 */
`;

function doc(schema: JsonSchema, indent: string): string {
  if (typeof schema.description !== 'string') return '';
  return `${indent}/** ${schema.description.replace(/\*\//g, '*\\/')} */\n`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  return unique.length === 1 ? unique[0]! : unique.map((t) => (t.includes(' & ') ? `(${t})` : t)).join(' | ');
}

/** The TypeScript type of a schema; `indent` is the indentation of the line the type starts on. */
function typeOf(schema: JsonSchema, indent: string): string {
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  if (Array.isArray(schema.anyOf)) return union((schema.anyOf as JsonSchema[]).map((s) => typeOf(s, indent)));
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as JsonSchema[]).map((s) => (typeof s.$ref === 'string' ? 'Record<string, unknown>' : typeOf(s, indent)));
    return [...new Set(parts)].join(' & ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${parenthesized(typeOf((schema.items ?? {}) as JsonSchema, indent))}[]`;
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function parenthesized(type: string): string {
  return / [|&] /.test(type) && !type.startsWith('{') ? `(${type})` : type;
}

function objectType(schema: JsonSchema, indent: string): string {
  const properties = (schema.properties ?? undefined) as Record<string, JsonSchema> | undefined;
  const extra = schema.additionalProperties;
  const extraType = extra === false ? undefined : extra === undefined || extra === true ? 'unknown' : typeOf(extra as JsonSchema, indent);
  if (!properties || Object.keys(properties).length === 0) return `Record<string, ${extraType ?? 'never'}>`;
  const required = new Set((schema.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(([name, s]) => {
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : literal(name);
    return `${doc(s, inner)}${inner}${key}${required.has(name) ? '' : '?'}: ${typeOf(s, inner)};`;
  });
  if (extraType !== undefined) lines.push(`${inner}[key: string]: ${extraType};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The text of src/config/types.generated.ts. */
export function configTypesSource(): string {
  return `${HEADER}\n${doc(configSchema, '')}export interface SidecarLintConfig ${typeOf(configSchema, '')}\n`;
}
