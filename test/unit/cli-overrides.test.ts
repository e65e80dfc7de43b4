// run's overriding flags land in the loaded config the run uses (never in env vars):
// --boot-runs → boot.bootRuns, --bundle → release.bundle, --coh → coh.scripts,
// --require → the config's require list; each checked, naming the flag.
import { describe, expect, it } from 'vitest';
import { applyCliOverrides } from '../../harness/config/cli-overrides.ts';
import type { LoadedConfig } from '../../harness/config/types.ts';
import { UsageError } from '../../harness/errors.ts';

const loaded = (config: LoadedConfig['config'] = {}): LoadedConfig => ({ config, baseDir: '/cfg' });

describe('CLI overrides in the loaded config', () => {
  it('writes each flag where the config keeps that value, resolving paths against the working directory', () => {
    const base = loaded({ boot: { bootRuns: 9, budgetMs: 300 }, release: { platform: 'qemu-tcg' } });
    const r = applyCliOverrides(
      base,
      { bootRuns: '2', bundle: 'rel/bundle', coh: ['ci/*.coh'], require: ['release.worker'] },
      '/work',
    );
    expect(r.config.boot).toEqual({ bootRuns: 2, budgetMs: 300 });
    expect(r.config.release).toEqual({ platform: 'qemu-tcg', bundle: '/work/rel/bundle' });
    expect(r.config.coh).toEqual({ scripts: ['/work/ci/*.coh'], scriptsFrom: '--coh' });
    expect(r.config.require).toEqual(['release.worker']);
    // the loaded object itself is left as loaded
    expect(base.config.boot).toEqual({ bootRuns: 9, budgetMs: 300 });
    expect(base.config.require).toBeUndefined();
  });

  it('leaves the config alone without flags, and adds --require to the config list', () => {
    expect(applyCliOverrides(loaded({ boot: { bootRuns: 3 } }), {}, '/w').config).toEqual({
      boot: { bootRuns: 3 },
    });
    expect(
      applyCliOverrides(loaded({ require: ['boot'] }), { require: ['release.worker', 'boot'] }, '/w').config
        .require,
    ).toEqual(['boot', 'release.worker']);
  });

  it('refuses bad values naming the flag or the config key', () => {
    for (const v of ['many', '0', '1.5', ''])
      expect(() => applyCliOverrides(loaded(), { bootRuns: v }, '/w')).toThrow(
        /--boot-runs must be an integer 1\.\.1000, got/,
      );
    expect(() => applyCliOverrides(loaded(), { require: ['release.wroker'] }, '/w')).toThrow(
      /^--require release\.wroker: not a case group/,
    );
    expect(() => applyCliOverrides(loaded({ require: ['boot.sig'] }), {}, '/w')).toThrow(UsageError);
    expect(() => applyCliOverrides(loaded({ require: ['boot.sig'] }), {}, '/w')).toThrow(
      /^config require boot\.sig: not a case group/,
    );
  });
});
