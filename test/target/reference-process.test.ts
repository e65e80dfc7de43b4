// The reference target as processes: the run's list of served areas is the services'
// own, and a serve child's refusal reaches the run as the usage error it is (exit 2,
// the message and its fix), not as an infrastructure error.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceServiceLoaders } from '../../reference/services.ts';
import { startReferenceTarget } from '../../harness/target/reference.ts';
import { UsageError } from '../../harness/errors.ts';
import { pidDir } from '../../harness/process/registry.ts';

describe('the reference target as serve children', () => {
  it("loads each area's service under its own name", async () => {
    for (const [area, load] of Object.entries(referenceServiceLoaders))
      expect((await load()).area).toBe(area);
  });

  it("passes a serve child's usage error on as one, and leaves no child or pidfile behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cqa-refproc-'));
    const file = join(dir, 'cohesix-qa.config.json');
    writeFileSync(file, JSON.stringify({ gui: { url: 'http://10.0.0.7:8888', timeoutSeconds: 4 } }));
    const stateRoot = join(dir, 'state');
    const started = startReferenceTarget({
      loaded: { config: { gui: { url: 'http://10.0.0.7:8888', timeoutSeconds: 4 } }, baseDir: dir, file },
      kind: 'reference',
      areas: ['gui'],
      stateRoot,
      runId: 'test',
      signal: new AbortController().signal,
      log: () => {},
    });
    await expect(started).rejects.toBeInstanceOf(UsageError);
    await expect(started).rejects.toThrow(
      /^target reference: gui\.url names a service of your own[\s\S]*fix: run your service as the external target/,
    );
    expect(readdirSync(pidDir(stateRoot))).toEqual([]);
  });
});
