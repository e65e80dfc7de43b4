// Relative paths in the cuda-annex config resolve against the config file's
// directory on every target kind (the loader resolves what the schema marks;
// areaConfig, which every target kind reads sections through, adds the worker rules).
import { describe, expect, it } from 'vitest';
import { areaConfig } from '../../harness/target/start.ts';
import type { LoadedConfig } from '../../harness/config/types.ts';
import { resolveLocalPaths } from '../../harness/config/local-paths.ts';

// as the loader hands it over: marked paths already resolved (harness/config/local-paths.ts)
const loaded = (section: Record<string, unknown>): LoadedConfig => ({
  config: resolveLocalPaths('config', { 'cuda-annex': section }, '/etc/qa/site') as LoadedConfig['config'],
  file: '/etc/qa/site/cohesix-qa.config.json',
  baseDir: '/etc/qa/site',
});

describe('cuda-annex config paths', () => {
  it('resolves certs, keys, credentials, worker cwd and a relative worker program against the config dir', () => {
    const c = areaConfig(
      loaded({
        caCert: 'pki/ca.pem',
        workerCert: '../shared/worker.pem',
        workerKey: '/abs/worker.key',
        credentialsFile: 'orch_user.json',
        guiUrl: 'http://gui:8080',
        grpcAddress: 'cp:50051',
        worker: { command: ['./bin/cuda-worker', 'data/jobs.txt'], cwd: 'work', env: { A: 'b' } },
      }),
      'cuda-annex',
    )!;
    expect(c).toMatchObject({
      caCert: '/etc/qa/site/pki/ca.pem',
      workerCert: '/etc/qa/shared/worker.pem',
      workerKey: '/abs/worker.key',
      credentialsFile: '/etc/qa/site/orch_user.json',
      guiUrl: 'http://gui:8080',
      grpcAddress: 'cp:50051',
    });
    // the program is resolved against cwd; arguments are left to the worker, which runs in cwd
    expect(c['worker']).toEqual({
      command: ['/etc/qa/site/work/bin/cuda-worker', 'data/jobs.txt'],
      cwd: '/etc/qa/site/work',
      env: { A: 'b' },
    });
  });

  it('defaults the worker cwd to the config dir and leaves a bare program to PATH', () => {
    const c = areaConfig(loaded({ worker: { command: ['node', 'worker.js'] } }), 'cuda-annex')!;
    expect(c['worker']).toEqual({ command: ['node', 'worker.js'], cwd: '/etc/qa/site' });
    expect(areaConfig(loaded({ worker: 'in-process' }), 'cuda-annex')!['worker']).toBe('in-process');
  });
});
