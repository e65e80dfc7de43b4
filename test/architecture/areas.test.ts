// The two halves of each area's manifest (harness/areas/<area>.ts and
// reference/<area>/manifest.ts) name the same areas, and what derives from them
// (services, defects, config sections, CLI commands, the fixtures door's types) is
// what the manifests say.
import { describe, expect, expectTypeOf, it, type TestAPI } from 'vitest';
import { Command } from 'commander';
import { HARNESS_AREAS } from '../../harness/areas/index.ts';
import { REFERENCE_AREAS } from '../../reference/areas.ts';
import { referenceServiceAreas, referenceServiceLoaders } from '../../reference/services.ts';
import { defects } from '../../reference/defects.ts';
import { CONFIG_SCHEMA_ID, schemaDocument, schemaIds } from '../../harness/schemas/registry.ts';
import { listAreas } from '../../harness/run/plan.ts';
import { cliInProcess } from '../helpers/cli.ts';
import type { test } from '../../harness/fixtures.ts';
import type { GovernanceTree } from '../../harness/governance/checks.ts';
import type { BootFixture } from '../../harness/fixtures/boot.ts';
import type { QueenClient } from '../../harness/trace/queen-client.ts';

const harnessNames = HARNESS_AREAS.map((a) => a.name);

describe('area manifests', () => {
  it('name the same areas in both halves, in the same order', () => {
    expect(REFERENCE_AREAS.map((a) => a.name)).toEqual(harnessNames);
    expect(new Set(harnessNames).size, 'an area registered twice').toBe(harnessNames.length);
  });

  it('each have a suite folder, and every suite folder is an area', () => {
    expect(listAreas()).toEqual([...harnessNames].sort());
  });

  it('give each reference service its own area, and the service list is theirs', async () => {
    for (const a of REFERENCE_AREAS) expect((await a.service()).area, `${a.name}'s service`).toBe(a.name);
    expect(referenceServiceAreas).toEqual(REFERENCE_AREAS.map((a) => a.name));
    expect(Object.keys(referenceServiceLoaders)).toEqual(REFERENCE_AREAS.map((a) => a.name));
  });

  it('make the defect registry: every defect of each area, each named once', () => {
    expect(defects).toEqual(REFERENCE_AREAS.flatMap((a) => a.defects));
    const names = defects.map((d) => d.name);
    expect(
      names.filter((n, i) => names.indexOf(n) !== i),
      'defect names given twice',
    ).toEqual([]);
    for (const d of defects) expect(harnessNames, `${d.name}'s suite`).toContain(d.suite);
  });

  it("add each area's config section from the schema its manifest names", () => {
    const properties = schemaDocument('config').properties as Record<string, { $ref?: string }>;
    const declared = schemaIds()
      .filter((id) => id !== CONFIG_SCHEMA_ID)
      .map((id) => [id, schemaDocument(id)['x-area']] as const)
      .filter(([, area]) => area !== undefined);
    for (const a of HARNESS_AREAS) {
      expect(a.configSchema, `${a.name}'s configSchema`).toBeDefined();
      expect(schemaDocument(a.configSchema!)['x-area'], `${a.configSchema} declares`).toBe(a.name);
      expect(properties[a.name]?.$ref, `config.schema.json's ${a.name} section`).toBe(a.configSchema);
    }
    expect(declared.map(([, area]) => area).sort()).toEqual([...harnessNames].sort());
  });

  it("put each area's CLI commands on the command line", async () => {
    // in-process: the same program the binary builds (harness/cli/main.ts main())
    const help = (await cliInProcess(['--help'])).stdout;
    const listed = [...help.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]);
    for (const a of HARNESS_AREAS)
      for (const register of a.cli ?? []) {
        const probe = new Command();
        register(probe);
        const added = probe.commands.map((c) => c.name());
        expect(added.length, `${a.name}: ${register.name} adds a command`).toBeGreaterThan(0);
        expect(listed, `cohesix-qa --help lists ${a.name}'s commands`).toEqual(expect.arrayContaining(added));
      }
  });

  it("type the fixtures door's context from the area list", () => {
    type Context = typeof test extends TestAPI<infer C> ? C : never;
    // checked by tsc: a fixture an area adds is on the door's context with its type
    expectTypeOf<Context>().toHaveProperty('governance').toEqualTypeOf<GovernanceTree>();
    expectTypeOf<Context>().toHaveProperty('boot').toEqualTypeOf<BootFixture>();
    expectTypeOf<Context>().toHaveProperty('queens').toEqualTypeOf<QueenClient>();
    expect(harnessNames).toContain('trace');
  });
});
