// Pointing the harness at services explicitly: the target a run picks, the external
// starter's refusal of a plan it has no endpoints for, the reference target's refusal
// of a section naming an own service, what provenance records, and an access log that
// is not there (an infrastructure error naming it, never read as empty).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseTarget } from '../../harness/target/registry.ts';
import { startExternalTarget } from '../../harness/target/external.ts';
import { startReferenceServices } from '../../harness/target/reference-services.ts';
import type { TargetStartContext } from '../../harness/target/start.ts';
import { testedEndpoints } from '../../harness/run/provenance.ts';
import { openAccessLog } from '../../harness/gui/access-log.ts';
import { InfraError, UsageError } from '../../harness/errors.ts';
import { validate } from '../../harness/schemas/registry.ts';

function ctx(
  config: Record<string, unknown>,
  areas: string[],
  kind: 'external' | 'reference',
): TargetStartContext {
  return {
    loaded: { config, baseDir: '/tmp', file: '/tmp/cohesix-qa.config.json' },
    kind,
    areas,
    stateRoot: mkdtempSync(join(tmpdir(), 'cqa-ext-')),
    runId: 'test',
    signal: new AbortController().signal,
    log: () => {},
  };
}

describe('the external target', () => {
  it('is chosen by --target or by the config, with its name', () => {
    expect(chooseTarget(undefined, { kind: 'external', name: 'acme' })).toEqual({
      kind: 'external',
      name: 'acme',
    });
    expect(chooseTarget(undefined, 'external')).toEqual({ kind: 'external' });
    expect(chooseTarget('external', undefined)).toEqual({ kind: 'external' });
    expect(chooseTarget('reference', { kind: 'external', name: 'acme' })).toEqual({ kind: 'reference' });
    expect(chooseTarget(undefined, undefined)).toEqual({ kind: 'reference' });
    expect(() => chooseTarget('board', undefined)).toThrow(/--target board: unknown target kind/);
    expect(validate('config', { target: { kind: 'external', name: 'acme' } })).toEqual([]);
    expect(validate('config', { target: 'external' })).toEqual([]);
    expect(validate('config', { target: { kind: 'external', url: 'x' } })).not.toEqual([]);
  });

  it('takes each section as it is and names every planned area it has nothing for', async () => {
    const gui = { url: 'http://10.0.0.7:8888', grpcAddress: '10.0.0.7:50051' };
    const started = await startExternalTarget({ ...ctx({ gui }, ['gui'], 'external'), name: 'acme' });
    expect(started.descriptor).toEqual({ kind: 'external', name: 'external:acme', resources: { gui } });
    const refused = startExternalTarget(ctx({ gui }, ['gui', 'secure9p', 'boot'], 'external'));
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(/suite secure9p: the config has no "secure9p" section/);
    await expect(refused).rejects.toThrow(/suite boot: it needs a target the harness boots/);
  });

  it('the reference target refuses a gui section naming an own service before starting anything', async () => {
    const r = startReferenceServices(
      ctx({ gui: { url: 'http://10.0.0.7:8888', timeoutSeconds: 4 } }, ['gui'], 'reference'),
    );
    await expect(r).rejects.toBeInstanceOf(UsageError);
    await expect(r).rejects.toThrow(/gui\.url names a service of your own[\s\S]*external/);
  });

  it('provenance records the endpoints tested, never a credential', () => {
    expect(
      testedEndpoints({
        gui: {
          url: 'http://h:1',
          grpcAddress: 'h:2',
          credentials: { user: 'u', pass: 'p' },
          caCert: '/ca.pem',
        },
        secure9p: { secure: { host: 'h', port: 564 } },
        governance: { root: '/src' },
      }),
    ).toEqual({
      'gui.url': 'http://h:1',
      'gui.grpcAddress': 'h:2',
      'secure9p.secure.host': 'h',
      'secure9p.secure.port': '564',
      'governance.root': '/src',
    });
  });
});

describe('the GUI access log as evidence', () => {
  it('is an infrastructure error naming the path when it is not there, and read when it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cqa-log-'));
    const missing = join(dir, 'log', 'gui_access.log');
    expect(() => openAccessLog(missing)).toThrow(InfraError);
    expect(() => openAccessLog(missing)).toThrow(
      `the GUI access log ${missing} (gui.accessLogPath) does not exist`,
    );
    expect(() => openAccessLog(dir)).toThrow(/is not a file/);
    const file = join(dir, 'access.log');
    writeFileSync(file, 'one\n');
    const log = openAccessLog(file);
    const before = log.size();
    appendFileSync(file, 'two\n');
    expect(log.readFrom(before)).toBe('two\n');
  });
});
