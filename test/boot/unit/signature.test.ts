import { describe, expect, test, beforeAll } from 'vitest';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyArtifact, parseManifest, readSignature } from '../../../harness/boot/signature.ts';

let dir: string;
let image: string;
let pub: string;
let otherPub: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cqa-sig-'));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  pub = join(dir, 'key.pub.pem');
  otherPub = join(dir, 'other.pub.pem');
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(otherPub, other.publicKey.export({ type: 'spki', format: 'pem' }));
  image = join(dir, 'root.elf');
  const bytes = Buffer.from('\x7fELF pretend image bytes');
  writeFileSync(image, bytes);
  writeFileSync(`${image}.sig`, sign(null, bytes, privateKey));
  const manifest = `${createHash('sha256').update(bytes).digest('hex')}  root.elf\n`;
  writeFileSync(join(dir, 'SHA256SUMS'), manifest);
  writeFileSync(
    join(dir, 'SHA256SUMS.sig'),
    sign(null, Buffer.from(manifest), privateKey).toString('base64'),
  );
});

describe('signed boot artifacts', () => {
  test('a signed image listed in a signed manifest verifies', () => {
    const r = verifyArtifact({ image, publicKey: pub, manifest: join(dir, 'SHA256SUMS') });
    expect(r.checks.map((c) => [c.name, c.ok])).toEqual([
      ['image-signature', true],
      ['manifest-signature', true],
      ['manifest-hash', true],
    ]);
    expect(r.ok).toBe(true);
  });

  test('a byte changed after signing fails every check that covers it, naming the file', () => {
    const tampered = join(dir, 'tampered', 'root.elf');
    mkdtempSync(join(dir, 'x'));
    writeFileSync(join(dir, 'tampered.elf'), Buffer.from('\x7fELF pretend image bytez'));
    writeFileSync(join(dir, 'tampered.elf.sig'), readSignature(`${image}.sig`));
    const r = verifyArtifact({
      image: join(dir, 'tampered.elf'),
      publicKey: pub,
      manifest: join(dir, 'SHA256SUMS'),
    });
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.name === 'image-signature')!.detail).toMatch(
      /tampered\.elf does not match its signature/,
    );
    expect(r.checks.find((c) => c.name === 'manifest-hash')!.detail).toMatch(/not listed/);
    expect(tampered).toContain('tampered');
  });

  test('another key, a missing or malformed signature all fail with a clear reason', () => {
    expect(verifyArtifact({ image, publicKey: otherPub }).checks[0]!.detail).toMatch(/another key signed it/);
    expect(
      verifyArtifact({ image, publicKey: pub, signature: join(dir, 'nope.sig') }).checks[0]!.detail,
    ).toMatch(/no signature at/);
    writeFileSync(join(dir, 'garbage.sig'), 'not a signature at all!');
    expect(
      verifyArtifact({ image, publicKey: pub, signature: join(dir, 'garbage.sig') }).checks[0]!.detail,
    ).toMatch(/not an ed25519 signature/);
    writeFileSync(join(dir, 'bad.pem'), 'junk');
    expect(() => verifyArtifact({ image, publicKey: join(dir, 'bad.pem') })).toThrow(
      /bad\.pem: not a PEM public key/,
    );
  });

  test('manifest lines are strict', () => {
    expect(parseManifest(`${'a'.repeat(64)}  dir/x.elf\n${'B'.repeat(64)} *y.elf\n`)).toEqual(
      new Map([
        ['x.elf', 'a'.repeat(64)],
        ['y.elf', 'b'.repeat(64)],
      ]),
    );
    expect(() => parseManifest('abc  x.elf', 'M')).toThrow(/M:1: not a "<sha256> {2}<file>" line/);
  });
});
