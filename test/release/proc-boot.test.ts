// /proc/boot judged by the lines real releases stream, and the cross-check of
// its manifest.sha256 with the bundle's generated policy files.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProcBoot } from '../../harness/release/proc-boot.ts';
import { policyDrift, readPolicyHashes } from '../../harness/release/policy-hash.ts';
import { procBootLines } from '../../reference/release/bundle.ts';

const SHA = 'c0ffee'.padEnd(64, '0');
/** /proc/boot as a real 0.3.0-alpha release streamed it (cohsh-console.md) */
const REAL = [
  'Cohesix boot: root-task online',
  'manifest.schema=1.5',
  'manifest.profile=virt-aarch64',
  `manifest.sha256=${SHA}`,
  'telemetry.ring_bytes_per_worker=1024',
  'telemetry.frame_schema=legacy-plaintext',
  'telemetry.cursor.retain_on_boot=false',
  'event_pump.fds=serial,timer,ipc,net-console,ninedoor',
];

describe('/proc/boot', () => {
  it('accepts every line a real release prints, judged by the streamed lines', () => {
    const b = parseProcBoot(REAL);
    expect(b.problems).toEqual([]);
    expect(b.source).toBe('streamed lines');
    expect(b.fields['manifest.sha256']).toBe(SHA);
    expect(b.fields['event_pump.fds']).toBe('serial,timer,ipc,net-console,ninedoor');
    expect(b.other).toEqual(['Cohesix boot: root-task online']);
  });

  it('the reference prints what the spec shows', () => {
    expect(procBootLines({ manifestSha256: SHA })).toEqual(REAL);
  });

  it('prefers the streamed lines to the CAT summary (which is cut short), and accepts lines a release adds', () => {
    const summary =
      'telemetry.ring_bytes_per_worker=1024|telemetry.cursor.retain_on_boot=false|event_pump.fds=serial,timer,ipc,';
    const b = parseProcBoot([summary, ...REAL, 'cas.enabled=true']);
    expect(b.problems).toEqual([]);
    expect(b.fields['event_pump.fds']).toBe('serial,timer,ipc,net-console,ninedoor');
    expect(b.fields['cas.enabled']).toBe('true');
  });

  it('judges the summary alone when nothing was streamed, and says the manifest lines are missing', () => {
    const b = parseProcBoot([
      'telemetry.ring_bytes_per_worker=1024|telemetry.cursor.retain_on_boot=false|event_pump.fds=serial,timer,ipc,',
    ]);
    expect(b.source).toBe('CAT summary');
    // the last part may be cut mid-value: not judged
    expect(b.fields).toEqual({
      'telemetry.ring_bytes_per_worker': '1024',
      'telemetry.cursor.retain_on_boot': 'false',
    });
    expect(b.problems).toEqual([
      'manifest.schema: expected a value (required), found nothing',
      'manifest.profile: expected a value (required), found nothing',
      'manifest.sha256: expected a value (required), found nothing',
    ]);
  });

  it('names each line that is not what a release prints', () => {
    const b = parseProcBoot([
      'manifest.schema=one',
      'manifest.profile=virt-aarch64',
      'manifest.sha256=ABC',
      'telemetry.cursor.retain_on_boot=maybe',
      'event_pump.fds=serial, timer',
    ]);
    expect(b.problems).toEqual([
      'manifest.schema: expected a string matching /^[0-9]+(\\.[0-9]+)*$/, found "one"',
      'manifest.sha256: expected a string matching /^[0-9a-f]{64}$/, found "ABC"',
      'telemetry.cursor.retain_on_boot: expected one of "true", "false", found "maybe"',
      'event_pump.fds: expected a string matching /^[a-z0-9_-]+(,[a-z0-9_-]+)*$/, found "serial, timer"',
    ]);
    expect(parseProcBoot([]).source).toBe('nothing');
  });
});

describe("manifest.sha256 and the bundle's policy files", () => {
  function bundleWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'cqa-policy-'));
    mkdirSync(join(dir, 'out'));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  }

  it('agrees when both files carry the value, wherever their table puts it', () => {
    const dir = bundleWith({
      'out/coh_policy.toml': `manifest_sha256 = "${SHA}"\n[[rule]]\npath = "/proc/boot"\n`,
      'out/cohsh_policy.toml': `[meta]\nmanifest_sha256 = "${SHA.toUpperCase()}"\n`,
    });
    const p = readPolicyHashes(dir);
    expect(p).toEqual([
      { file: 'out/coh_policy.toml', manifestSha256: SHA },
      { file: 'out/cohsh_policy.toml', manifestSha256: SHA },
    ]);
    expect(policyDrift(SHA, p)).toEqual([]);
  });

  it('names the file that carries another value', () => {
    const other = 'b'.repeat(64);
    const p = readPolicyHashes(
      bundleWith({
        'out/coh_policy.toml': `manifest_sha256 = "${SHA}"\n`,
        'out/cohsh_policy.toml': `manifest_sha256 = "${other}"\n`,
      }),
    );
    expect(policyDrift(SHA, p)).toEqual([
      `out/cohsh_policy.toml says manifest_sha256 = ${other}, /proc/boot says manifest.sha256=${SHA}`,
    ]);
  });

  it('says why a file cannot confirm the value: not TOML, no key, not a hash, two values', () => {
    const p = readPolicyHashes(
      bundleWith({
        'out/coh_policy.toml': 'manifest_sha256 = \n',
        'out/cohsh_policy.toml': '[meta]\nversion = 1\n',
      }),
    );
    expect(p.map((x) => `${x.file}: ${x.problem}`)).toEqual([
      'out/coh_policy.toml: not TOML (line 1, column 19): Invalid TOML document: invalid value',
      'out/cohsh_policy.toml: carries no manifest_sha256',
    ]);
    expect(policyDrift(SHA, p)[1]).toBe(
      `out/cohsh_policy.toml: carries no manifest_sha256, so /proc/boot's manifest.sha256=${SHA} cannot be confirmed`,
    );
    const q = readPolicyHashes(
      bundleWith({
        'out/coh_policy.toml': 'manifest_sha256 = 42\n',
        'out/cohsh_policy.toml': `manifest_sha256 = "${SHA}"\n[meta]\nmanifest_sha256 = "${'d'.repeat(64)}"\n`,
      }),
    );
    expect(q.map((x) => x.problem)).toEqual([
      'manifest_sha256 = 42 is not 64 hex digits',
      'carries 2 different manifest_sha256 values (manifest_sha256, meta.manifest_sha256)',
    ]);
  });

  it('does not cross-check a bundle without the policy files', () => {
    expect(readPolicyHashes(bundleWith({}))).toEqual([]);
  });
});
