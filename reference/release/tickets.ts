// Worker tickets as releases spell them: cohesix-ticket-<payload_hex>.<mac_hex>,
// the payload the JSON {role, subject}, the MAC HMAC-SHA256 under the queen's
// secret. The reference console mints and checks them with its own secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function mintTicket(secret: Buffer, role: string, subject: string): string {
  const payload = Buffer.from(JSON.stringify({ role, subject }), 'utf8');
  const mac = createHmac('sha256', secret).update(payload).digest();
  return `cohesix-ticket-${payload.toString('hex')}.${mac.toString('hex')}`;
}

export function checkTicket(
  secret: Buffer,
  ticket: string,
): { ok: true; role: string; subject: string } | { ok: false; reason: string } {
  const m = /^cohesix-ticket-([0-9a-f]+)\.([0-9a-f]{64})$/.exec(ticket);
  if (!m) return { ok: false, reason: 'ticket-malformed' };
  const payload = Buffer.from(m[1]!, 'hex');
  const want = createHmac('sha256', secret).update(payload).digest();
  if (!timingSafeEqual(want, Buffer.from(m[2]!, 'hex'))) return { ok: false, reason: 'ticket-invalid' };
  try {
    const p = JSON.parse(payload.toString('utf8')) as { role?: unknown; subject?: unknown };
    if (typeof p.role !== 'string' || typeof p.subject !== 'string')
      return { ok: false, reason: 'ticket-malformed' };
    return { ok: true, role: p.role, subject: p.subject };
  } catch {
    return { ok: false, reason: 'ticket-malformed' };
  }
}
