// The Secure9P driver the fixtures hand to suites: connects as an agent (or
// with a refused certificate, or none), reads the Secure9P and trace logs,
// validates policy files and trace lines. Bound to plain-JSON resources, so
// the reference target, a QEMU image or a lab board differ only in those.
import { readFileSync } from 'node:fs';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import type { CertFiles, Secure9pResources } from '../../contract/secure9p/resources.ts';
import { loadPolicy, PolicyError, type Secure9pPolicy } from './policy.ts';
import { traceEventErrors } from './trace-schema.ts';

export type RefusedKind = 'none' | 'foreign' | 'expired';

export class Secure9pDriver {
  private readonly open = new Set<NinepClient>();

  constructor(readonly resources: Secure9pResources) {}

  private pem(p: string): Buffer {
    return readFileSync(p);
  }

  /** A TLS connection presenting the agent's certificate, one of the refused ones, or none. Versioned. */
  async connect(who: { agent: string } | { refused: RefusedKind }): Promise<NinepClient> {
    const r = this.resources;
    let cert: CertFiles | undefined;
    if ('agent' in who) {
      cert = r.agents[who.agent];
      if (!cert) throw new Error(`no client certificate for agent "${who.agent}" in the secure9p resources`);
    } else if (who.refused !== 'none') cert = r.refused[who.refused];
    const c = await NinepClient.connect({
      transport: 'tls',
      host: r.secure.host,
      port: r.secure.port,
      tls: {
        ca: this.pem(r.secure.caCert),
        cert: cert ? this.pem(cert.cert) : undefined,
        key: cert ? this.pem(cert.key) : undefined,
        servername: r.secure.servername,
      },
      dialect: '9P2000',
      msize: 8192 + 24,
      timeoutMs: r.timeoutMs ?? 3000,
    });
    this.open.add(c);
    return c;
  }

  /** Connect and attach as an agent (the certificate decides who we are; uname says the same). */
  async attach(agent: string): Promise<NinepFs> {
    const c = await this.connect({ agent });
    return NinepFs.attach(c, { uname: agent });
  }

  /** Connect with a refused certificate (or none) and try to attach as `uname`: the server must refuse one or the other. */
  async attachRefused(kind: RefusedKind, uname: string): Promise<NinepFs> {
    const c = await this.connect({ refused: kind });
    return NinepFs.attach(c, { uname });
  }

  /** Attach over plain 9P as `uname` (optionally presenting a capability token as aname). */
  async attachPlain(uname: string, aname = ''): Promise<NinepFs> {
    const p = this.resources.plain;
    if (!p) throw new Error('this target has no plain 9P listener in its secure9p resources');
    const c = await NinepClient.connect({
      transport: 'tcp',
      host: p.host,
      port: p.port,
      dialect: '9P2000',
      msize: 8192 + 24,
      timeoutMs: this.resources.timeoutMs ?? 3000,
    });
    this.open.add(c);
    return NinepFs.attach(c, { uname, aname });
  }

  /** The lines of a log, parsed; a line that is not JSON is returned as { unparsable: line }. */
  async readLog(kind: 'secure9p' | 'plain' | 'trace'): Promise<Array<Record<string, unknown>>> {
    const where = this.resources.logs[kind];
    let text: string;
    if (where.file) text = readFileSync(where.file, 'utf8');
    else {
      const fs = await this.attach(this.resources.logReader);
      text = (await fs.readFile(where.nsPath)).toString('utf8');
    }
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return { unparsable: l };
        }
      });
  }

  /** Validate a policy file; returns the policy or the PolicyError's message. */
  validatePolicy(
    file: string,
    opts: { checkFiles?: boolean } = {},
  ): { ok: true; policy: Secure9pPolicy } | { ok: false; message: string } {
    try {
      return { ok: true, policy: loadPolicy(file, opts) };
    } catch (e) {
      if (e instanceof PolicyError) return { ok: false, message: e.message };
      throw e;
    }
  }

  /** Schema errors of one trace log line (schemas/trace-event.schema.json); empty when valid. */
  traceLineErrors(line: unknown): string[] {
    return traceEventErrors(line);
  }

  /** Transcripts of every connection this driver opened (for evidence). */
  transcripts(): string {
    return [...this.open].map((c) => `-- ${c.description}\n${c.transcript.text()}`).join('\n');
  }

  /** Close every connection; their transcripts stay available (failure evidence is taken after teardown). */
  closeAll(): void {
    for (const c of this.open) c.close();
  }
}

/** The trace id in a denial's error text ("... [trace_id=1a2b3c4d]"), if any. */
export function traceIdOf(message: string): string | undefined {
  return /trace_id=([0-9a-f]{8})\b/.exec(message)?.[1];
}
