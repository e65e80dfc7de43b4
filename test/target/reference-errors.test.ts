// A reference service that fails for want of its surroundings throws the reference's
// own ReferenceEnvironmentError; `reference serve` must count it as infrastructure
// (InfraError, exit 3) with the same message and fix line, not as "did not start: …".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ReferenceEnvironmentError } from '../../reference/errors.ts';
import { InfraError } from '../../harness/errors.ts';

vi.mock('../../reference/services.ts', () => ({
  referenceServiceLoaders: {
    toy: async () => ({
      area: 'toy',
      start: async () => {
        throw new ReferenceEnvironmentError(
          'openssl could not be started (ENOENT)',
          'apt-get install openssl',
        );
      },
    }),
    plain: async () => ({
      area: 'plain',
      start: async () => {
        throw new Error('port 5645 is taken');
      },
    }),
  },
}));

const { startReferenceServices } = await import('../../harness/target/reference-services.ts');

const ctx = (area: string) => ({
  loaded: { config: {}, baseDir: '/tmp', file: '/tmp/cohesix-qa.config.json' },
  kind: 'reference' as const,
  areas: [area],
  stateRoot: mkdtempSync(join(tmpdir(), 'cqa-referr-')),
  runId: 'test',
  signal: new AbortController().signal,
  log: () => {},
});

describe('the reference target’s environment failures', () => {
  it('become an InfraError with the reference’s own message and fix line', async () => {
    const r = startReferenceServices(ctx('toy'));
    await expect(r).rejects.toBeInstanceOf(InfraError);
    await expect(r).rejects.toThrow(
      /^openssl could not be started \(ENOENT\)\n {2}fix: apt-get install openssl$/,
    );
  });

  it('any other failure is still an InfraError saying the reference target did not start', async () => {
    const r = startReferenceServices(ctx('plain'));
    await expect(r).rejects.toBeInstanceOf(InfraError);
    await expect(r).rejects.toThrow(/^the reference target did not start: port 5645 is taken$/);
  });
});
