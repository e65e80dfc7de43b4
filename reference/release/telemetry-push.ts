// Telemetry push segments under /queen/telemetry/<device>/, as upstream's
// `telemetry push` drives them: `{"new":"segment","mime":...}` on ctl opens
// seg-000001, seg-000002, …; `latest` names the newest; each segment takes
// `{"schema":"cohsh-telemetry-push/v1","seq":n,"mime":...,"payload":"..."}`
// records with seq counting from 1 and the segment's mime.
import type { NsNode, AppendOutcome } from './nodes.ts';

export const PUSH_SCHEMA = 'cohsh-telemetry-push/v1';
const ROOT = '/queen/telemetry';

interface Segment {
  mime: string;
  records: string[];
}

interface Device {
  segments: Map<string, Segment>;
  latest?: string;
}

const refuse = (reason: string, detail: string, error: string): AppendOutcome => ({
  ok: false,
  reason,
  detail,
  error,
});

export class TelemetryPush {
  private readonly devices = new Map<string, Device>();

  /** every path that exists now, for LS */
  paths(): string[] {
    const out: string[] = [];
    for (const [id, d] of this.devices) {
      out.push(`${ROOT}/${id}/ctl`, `${ROOT}/${id}/latest`);
      for (const seg of d.segments.keys()) out.push(`${ROOT}/${id}/seg/${seg}`);
    }
    return out;
  }

  resolve(path: string): NsNode | undefined {
    const m = /^\/queen\/telemetry\/([\w.-]{1,64})\/(ctl|latest|seg\/(seg-\d{6}))$/.exec(path);
    if (!m) return undefined;
    const id = m[1]!;
    const dev = this.devices.get(id);
    if (m[2] === 'ctl') return { read: () => [], append: (t) => this.control(id, t) };
    if (!dev) return undefined;
    if (m[2] === 'latest') return { read: () => (dev.latest ? [dev.latest] : []) };
    const seg = dev.segments.get(m[3]!);
    if (!seg) return undefined;
    return { read: () => seg.records, append: (t) => this.record(seg, t) };
  }

  private control(id: string, text: string): AppendOutcome {
    let doc: { new?: unknown; mime?: unknown };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      return refuse('parse', 'invalid-json', 'expected one JSON object');
    }
    if (doc?.new !== 'segment' || typeof doc.mime !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(doc.mime))
      return refuse('parse', 'invalid-ctl', 'expected {"new":"segment","mime":"<type/subtype>"}');
    const dev = this.devices.get(id) ?? { segments: new Map<string, Segment>() };
    this.devices.set(id, dev);
    const name = `seg-${String(dev.segments.size + 1).padStart(6, '0')}`;
    dev.segments.set(name, { mime: doc.mime, records: [] });
    dev.latest = name;
    return { ok: true };
  }

  private record(seg: Segment, text: string): AppendOutcome {
    let doc: { schema?: unknown; seq?: unknown; mime?: unknown; payload?: unknown };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      return refuse('parse', 'invalid-json', 'expected one JSON object');
    }
    if (doc?.schema !== PUSH_SCHEMA)
      return refuse('parse', 'invalid-schema', `schema must be ${PUSH_SCHEMA}`);
    if (doc.seq !== seg.records.length + 1)
      return refuse('parse', 'invalid-seq', `seq must be ${seg.records.length + 1}`);
    if (doc.mime !== seg.mime) return refuse('parse', 'invalid-mime', `mime must be ${seg.mime}`);
    if (typeof doc.payload !== 'string')
      return refuse('parse', 'invalid-payload', 'payload must be a string');
    seg.records.push(text);
    return { ok: true };
  }
}
