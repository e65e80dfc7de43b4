// Which config values name a file or folder on this host is data, not a naming
// convention: the config schemas mark them `"x-local-path": true`. After
// validation the loader resolves each one against the config file's directory, at
// any depth (a tls block inside a server entry, an array of policy files), so a
// config means the same whatever directory cohesix-qa runs from. Values that are
// 9P paths, URLs or names looked up in PATH carry no mark and are left alone.
import { resolve } from 'node:path';
import { resolveSchemaId, schemaDocument } from '../schemas/registry.ts';

export const LOCAL_PATH = 'x-local-path';

type Schema = Record<string, unknown>;

interface Scope {
  /** the document $refs starting with "#" point into */
  root: Schema;
  baseDir: string;
}

/** A copy of `value` with every marked string made absolute; `value` is not changed. */
export function resolveLocalPaths(schemaId: string, value: unknown, baseDir: string): unknown {
  const root = schemaDocument(schemaId);
  return walk(root, value, { root, baseDir }, 0);
}

function walk(schema: unknown, value: unknown, scope: Scope, depth: number): unknown {
  if (schema === null || typeof schema !== 'object' || depth > 64) return value;
  const s = schema as Schema;
  let out = value;
  if (typeof s.$ref === 'string') {
    const target = deref(s.$ref, scope);
    out = walk(target.schema, out, target.scope, depth + 1);
  }
  // every branch is applied: resolving an absolute path again changes nothing, and a
  // branch that does not describe this value finds no marked keys in it
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const)
    if (Array.isArray(s[k]))
      for (const branch of s[k] as unknown[]) out = walk(branch, out, scope, depth + 1);
  for (const k of ['then', 'else'] as const) if (s[k]) out = walk(s[k], out, scope, depth + 1);

  if (s[LOCAL_PATH] === true && typeof out === 'string' && out !== '') return resolve(scope.baseDir, out);
  if (Array.isArray(out) && s.items && typeof s.items === 'object')
    return out.map((v) => walk(s.items, v, scope, depth + 1));
  if (out !== null && typeof out === 'object' && !Array.isArray(out)) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const extra = s.additionalProperties;
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(out as Record<string, unknown>)) {
      const sub = k in props ? props[k] : typeof extra === 'object' ? extra : undefined;
      if (sub === undefined) continue;
      const r = walk(sub, v, scope, depth + 1);
      if (r !== v) (copy ??= { ...(out as Record<string, unknown>) })[k] = r;
    }
    return copy ?? out;
  }
  return out;
}

function deref(ref: string, scope: Scope): { schema: unknown; scope: Scope } {
  const [doc, pointer = ''] = ref.split('#');
  const root = doc ? schemaDocument(resolveSchemaId(doc)) : scope.root;
  let cur: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return { schema: undefined, scope };
    cur = (cur as Schema)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return { schema: cur, scope: { root, baseDir: scope.baseDir } };
}
