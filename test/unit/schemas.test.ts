import { describe, expect, it } from 'vitest';
import { validate, resolveSchemaId, schemaIds } from '../../harness/schemas/registry.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR } from '../../harness/schemas/registry.ts';

describe('schema registry', () => {
  it('loads every schema file by its $id', () => {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
    const ids = schemaIds();
    for (const f of files) {
      const id = (JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as { $id: string }).$id;
      expect(id).toBe(resolveSchemaId(f));
      expect(ids).toContain(id);
    }
  });

  it('reports path, expected and actual for a bad config', () => {
    const issues = validate('config', { target: 'moon', governance: { root: 7 }, bogus: true });
    expect(issues).toContainEqual({
      path: 'target',
      expected: 'one of "reference", "qemu", "lab", "release", "external"',
      actual: '"moon"',
    });
    expect(issues).toContainEqual({ path: 'governance.root', expected: 'string', actual: 'number 7' });
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'bogus', expected: 'no such property (unknown key)' }),
    );
  });

  it('accepts a valid config and rejects an unknown schema id', () => {
    expect(
      validate('config', { target: 'reference', suites: ['governance'], governance: { asOf: '2029-03-31' } }),
    ).toEqual([]);
    expect(() => validate('no-such', {})).toThrow(/unknown schema/);
  });
});
