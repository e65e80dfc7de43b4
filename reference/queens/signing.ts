// Per-node ed25519 session keys: each queen makes a fresh pair at start and
// announces the public half; every segment, vote, commit and checkpoint it sends
// is signed over its canonical JSON (without the sig field), so field order and
// whitespace cannot change what was signed.
import { generateKeyPairSync, sign, verify, createPublicKey, type KeyObject } from 'node:crypto';
import { canonicalForm } from './canonical-form.ts';

export interface SessionKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function newSessionKeys(): SessionKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function payload(message: Record<string, unknown>): Buffer {
  const { sig: _sig, ...rest } = message;
  return Buffer.from(canonicalForm(rest), 'utf8');
}

export function signMessage<T extends Record<string, unknown>>(
  message: T,
  keys: SessionKeys,
): T & { sig: string } {
  return { ...message, sig: sign(null, payload(message), keys.privateKey).toString('base64') };
}

/** True only for a present, well-formed signature made by the holder of `publicKeyPem`. */
export function verifyMessage(message: Record<string, unknown>, publicKeyPem: string): boolean {
  const sig = message.sig;
  if (typeof sig !== 'string' || sig.length === 0) return false;
  try {
    return verify(null, payload(message), createPublicKey(publicKeyPem), Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** Fault injection: a signature of the right length that verifies for nothing. */
export function corrupt(sig: string): string {
  const b = Buffer.from(sig, 'base64');
  if (b.length > 0) b[0] = b[0]! ^ 0xff;
  return b.toString('base64');
}
