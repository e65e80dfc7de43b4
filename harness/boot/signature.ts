// Boot artifact verification before boot: a detached ed25519 signature over
// the image bytes, and a sha256 manifest (sha256sum format) that is itself
// signed. node:crypto only. Every check is reported with what it found, so a
// tampered image fails with a message naming the file and the mismatch.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface SignatureConfig {
  image: string;
  /** PEM public key (ed25519) */
  publicKey: string;
  /** detached signature over the image bytes; default <image>.sig */
  signature?: string;
  /** sha256sum-format manifest listing the image */
  manifest?: string;
  /** detached signature over the manifest; default <manifest>.sig */
  manifestSignature?: string;
}

export interface VerificationCheck {
  name: 'image-signature' | 'manifest-signature' | 'manifest-hash';
  ok: boolean;
  detail: string;
}

export interface VerificationResult {
  ok: boolean;
  image: string;
  sha256: string;
  checks: VerificationCheck[];
}

/** raw 64-byte signatures (openssl pkeyutl) or base64 text */
export function readSignature(path: string): Buffer {
  const raw = readFileSync(path);
  if (raw.length === 64) return raw;
  const text = raw.toString('utf8').trim();
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const b = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    if (b.length === 64) return b;
  }
  throw new Error(
    `${path}: not an ed25519 signature (expected 64 raw bytes or their base64, found ${raw.length} bytes)`,
  );
}

export function loadPublicKey(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(path));
  } catch (e) {
    throw new Error(`${path}: not a PEM public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${path}: key type ${key.asymmetricKeyType}, expected ed25519`);
  return key;
}

export function parseManifest(text: string, source = 'manifest'): Map<string, string> {
  const entries = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (!m)
      throw new Error(
        `${source}:${i + 1}: not a "<sha256>  <file>" line: ${JSON.stringify(line.slice(0, 80))}`,
      );
    entries.set(basename(m[2]!), m[1]!.toLowerCase());
  });
  return entries;
}

function sigCheck(
  name: VerificationCheck['name'],
  data: Buffer,
  sigPath: string,
  key: KeyObject,
  what: string,
): VerificationCheck {
  if (!existsSync(sigPath)) return { name, ok: false, detail: `no signature at ${sigPath}` };
  let sig: Buffer;
  try {
    sig = readSignature(sigPath);
  } catch (e) {
    return { name, ok: false, detail: (e as Error).message };
  }
  const ok = verify(null, data, key, sig);
  return {
    name,
    ok,
    detail: ok
      ? `${what} signature valid`
      : `${what} does not match its signature ${sigPath}: the bytes changed after signing, or another key signed it`,
  };
}

export function verifyArtifact(cfg: SignatureConfig): VerificationResult {
  const image = readFileSync(cfg.image);
  const sha256 = createHash('sha256').update(image).digest('hex');
  const key = loadPublicKey(cfg.publicKey);
  const checks: VerificationCheck[] = [
    sigCheck('image-signature', image, cfg.signature ?? `${cfg.image}.sig`, key, basename(cfg.image)),
  ];
  if (cfg.manifest) {
    const manifest = readFileSync(cfg.manifest);
    checks.push(
      sigCheck(
        'manifest-signature',
        manifest,
        cfg.manifestSignature ?? `${cfg.manifest}.sig`,
        key,
        basename(cfg.manifest),
      ),
    );
    const entries = parseManifest(manifest.toString('utf8'), cfg.manifest);
    const want = entries.get(basename(cfg.image));
    checks.push(
      want === undefined
        ? {
            name: 'manifest-hash',
            ok: false,
            detail: `${basename(cfg.image)} is not listed in ${cfg.manifest}`,
          }
        : want === sha256
          ? { name: 'manifest-hash', ok: true, detail: `sha256 ${sha256} matches the manifest` }
          : {
              name: 'manifest-hash',
              ok: false,
              detail: `sha256 of ${basename(cfg.image)} is ${sha256}, the manifest says ${want}`,
            },
    );
  }
  return { ok: checks.every((c) => c.ok), image: cfg.image, sha256, checks };
}
