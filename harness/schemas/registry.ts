// One Ajv instance loads every schema under schemas/ once, by $id. Validation
// errors come back as {path, expected, actual} so a message can name the place.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_BASE } from './ids.ts';

export { SCHEMA_BASE };

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

export interface SchemaIssue {
  /** a dotted path into the document, e.g. targets.qemu.image ("(root)" for the whole) */
  path: string;
  expected: string;
  actual: string;
}

type AjvInstance = InstanceType<typeof Ajv2020.default>;
interface SchemaFile {
  $id?: string;
  'x-area'?: string;
  properties?: Record<string, unknown>;
}

export const CONFIG_SCHEMA_ID = `${SCHEMA_BASE}config.schema.json`;

/**
 * The config schema gets one section per area schema (`"x-area": "<area>"`), so an
 * area's config section is declared by its own schema file alone.
 */
function withAreaSections(schema: SchemaFile, all: readonly SchemaFile[]): SchemaFile {
  if (schema.$id !== CONFIG_SCHEMA_ID) return schema;
  const properties = { ...schema.properties };
  for (const s of all) {
    const area = s['x-area'];
    if (area === undefined) continue;
    if (area in properties)
      throw new Error(
        `schemas/config.schema.json already has a "${area}" key that ${s.$id} declares as its area section`,
      );
    properties[area] = { $ref: s.$id };
  }
  return { ...schema, properties };
}
let ajv: AjvInstance | undefined;

function load(): AjvInstance {
  if (ajv) return ajv;
  const a = new Ajv2020.default({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats.default(a);
  const schemas = readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((file) => {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as SchemaFile;
      if (!schema.$id) throw new Error(`schemas/${file} has no $id`);
      return schema;
    });
  for (const schema of schemas) a.addSchema(withAreaSections(schema, schemas));
  ajv = a;
  return a;
}

/** Accepts a full $id or its short name ("config" or "config.schema.json"). */
export function resolveSchemaId(id: string): string {
  if (id.startsWith('http')) return id;
  return SCHEMA_BASE + (id.endsWith('.schema.json') ? id : `${id}.schema.json`);
}

export function schemaIds(): string[] {
  const a = load();
  return Object.keys((a as unknown as { schemas: Record<string, unknown> }).schemas).filter((k) =>
    k.startsWith(SCHEMA_BASE),
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Validate a document; returns [] when valid. Throws only when the schema id is unknown. */
export function validate(id: string, doc: unknown): SchemaIssue[] {
  const full = resolveSchemaId(id);
  const fn = load().getSchema(full);
  if (!fn)
    throw new Error(
      `unknown schema ${id}: known are ${schemaIds()
        .map((s) => s.slice(SCHEMA_BASE.length))
        .join(', ')}`,
    );
  if (fn(doc)) return [];
  const issues: SchemaIssue[] = [];
  // an if/then/else failure is reported by the branch that failed; its "must match" line says nothing more
  for (const e of (fn.errors ?? []).filter((x) => x.keyword !== 'if')) {
    const p = e.params as Record<string, unknown>;
    let path = e.instancePath;
    let expected: string;
    let actual = describe(valueAt(doc, e.instancePath));
    switch (e.keyword) {
      case 'required':
        path = `${path}/${String(p.missingProperty)}`;
        expected = 'a value (required)';
        actual = 'nothing';
        break;
      case 'additionalProperties':
        path = `${path}/${String(p.additionalProperty)}`;
        expected = 'no such property (unknown key)';
        actual = describe(valueAt(doc, path));
        break;
      case 'type':
        expected = String(p.type);
        break;
      case 'enum':
        expected = `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        expected = JSON.stringify(p.allowedValue);
        break;
      case 'pattern':
        expected = `a string matching /${String(p.pattern)}/`;
        break;
      case 'format':
        expected = `a ${String(p.format)}`;
        break;
      default:
        expected = e.message ?? e.keyword;
    }
    issues.push({ path: pointerToPath(path), expected, actual });
  }
  // anyOf/oneOf produce one issue per branch plus a summary; keep them but drop exact duplicates
  return issues.filter(
    (i, n) => issues.findIndex((j) => j.path === i.path && j.expected === i.expected) === n,
  );
}

export function formatIssues(issues: SchemaIssue[], where: string): string {
  return issues.map((i) => `${where}: ${i.path}: expected ${i.expected}, found ${i.actual}`).join('\n');
}

/** The schema document itself (as loaded from schemas/), for walkers that read annotations. */
export function schemaDocument(id: string): Record<string, unknown> {
  const fn = load().getSchema(resolveSchemaId(id));
  if (!fn) throw new Error(`unknown schema ${id}`);
  return fn.schema as Record<string, unknown>;
}
