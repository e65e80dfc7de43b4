// Relative file paths in a config mean "next to the config file", at any depth and
// whatever directory cohesix-qa runs from; values that are not host files (9P paths,
// URLs, names looked up in PATH, files inside a checked tree) are left as written.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../harness/config/load.ts';
import { LOCAL_PATH } from '../../harness/config/local-paths.ts';
import { SCHEMA_DIR } from '../../harness/schemas/registry.ts';
import { tempDir } from '../helpers/cli.ts';

describe('config paths', () => {
  it('resolves marked paths against the config file at any depth, and nothing else', async () => {
    const dir = tempDir();
    const cfgDir = join(dir, 'lab', 'qa');
    mkdirSync(cfgDir, { recursive: true });
    const tls = { cert: 'pki/agent.pem', key: 'pki/agent.key' };
    writeFileSync(
      join(cfgDir, 'cohesix-qa.config.json'),
      JSON.stringify({
        outDir: 'out',
        targets: { qemu: { image: 'images/root.elf', binary: 'qemu-system-aarch64' } },
        nightly: { history: 'postgres://ci@db/qa', quarantineFile: 'q.json' },
        governance: { root: '../src', metadataFile: 'docs/METADATA.md' },
        secure9p: {
          conformance: {
            name: 'lab 9P',
            transport: 'tls',
            dialect: '9P2000',
            uname: 'qa',
            host: '10.0.0.2',
            port: 564,
            tls: { ca: 'pki/ca.pem', ...tls },
            writableDir: '/tmp/qa',
          },
          agents: { drone_worker: tls },
          logs: {
            secure9p: { nsPath: '/log/net_trace_secure9p.log', file: 'logs/s9p.log' },
            plain: { nsPath: '/log/net_trace.log' },
            trace: { nsPath: '/log/trace/live.log' },
          },
          policy: {
            examples: ['policy/a.toml', '/etc/cohesix/b.toml'],
            malformed: [{ file: 'bad.toml', expect: 'x' }],
          },
        },
        federation: {
          tls: { ca: 'pki/ca.pem', cert: 'pki/q.pem', key: 'pki/q.key' },
          alertsHost: '10.0.0.3',
        },
        gui: { url: 'http://10.0.0.4:8888', browserPath: '/usr/bin/chromium', clientCert: 'pki/op.pem' },
      }),
    );
    // run from somewhere else entirely
    const { config } = await loadConfig(join('lab', 'qa', 'cohesix-qa.config.json'), dir);
    const c = config as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const at = (p: string) => join(cfgDir, p);
    expect(c.outDir).toBe(at('out'));
    expect(c.targets.qemu).toEqual({ image: at('images/root.elf'), binary: 'qemu-system-aarch64' });
    expect(c.nightly).toEqual({ history: 'postgres://ci@db/qa', quarantineFile: at('q.json') });
    // the governance files live inside the checked tree, relative to its root
    expect(c.governance).toEqual({ root: join(dir, 'lab', 'src'), metadataFile: 'docs/METADATA.md' });
    expect(c.secure9p.conformance.tls).toEqual({
      ca: at('pki/ca.pem'),
      cert: at('pki/agent.pem'),
      key: at('pki/agent.key'),
    });
    expect(c.secure9p.conformance.writableDir, 'a 9P path').toBe('/tmp/qa');
    expect(c.secure9p.agents.drone_worker).toEqual({ cert: at('pki/agent.pem'), key: at('pki/agent.key') });
    expect(c.secure9p.logs.secure9p).toEqual({
      nsPath: '/log/net_trace_secure9p.log',
      file: at('logs/s9p.log'),
    });
    expect(c.secure9p.policy.examples).toEqual([at('policy/a.toml'), '/etc/cohesix/b.toml']);
    expect(c.secure9p.policy.malformed[0].file).toBe(at('bad.toml'));
    expect(c.federation.tls).toEqual({ ca: at('pki/ca.pem'), cert: at('pki/q.pem'), key: at('pki/q.key') });
    expect(c.federation.alertsHost).toBe('10.0.0.3');
    expect(c.gui).toEqual({
      url: 'http://10.0.0.4:8888',
      browserPath: '/usr/bin/chromium',
      clientCert: at('pki/op.pem'),
    });
  });

  it('marks only string values in the config schemas', () => {
    const bad: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (LOCAL_PATH in o && (o[LOCAL_PATH] !== true || o.type !== 'string')) bad.push(where);
      for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
    };
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.startsWith('config'));
    for (const f of files) walk(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')), f);
    expect(files.length).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});
