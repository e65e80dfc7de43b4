// Synthetic trace pairs for the diff benchmark: a baseline of contract events and
// a "current" copy where a fixed fraction of events deviate (a third changed,
// a third removed, a third replaced by new events). Deterministic for a seed, and
// written in a streaming fashion so generating 1 GB needs no memory.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../../harness/seeded-random.ts';

const AGENTS = ['queen_primary', 'drone_worker', 'glasses_agent', 'sensor_relay', 'simulator_test'];
const EVENTS = ['spawn', 'exec', 'cap_grant', 'read', 'write', 'replay'];

function event(i: number, r: () => number, ts: number): string {
  const agent = AGENTS[Math.floor(r() * AGENTS.length)]!;
  const ev = EVENTS[Math.floor(r() * EVENTS.length)]!;
  return JSON.stringify({
    ts,
    agent,
    event: ev,
    detail: `/srv/${agent}/obj/${i}/${Math.floor(r() * 1e6).toString(36)}`,
    ok: r() > 0.02,
  });
}

export interface SynthResult {
  events: number;
  deviations: number;
  bytesA: number;
  bytesB: number;
}

async function put(stream: NodeJS.WritableStream, text: string): Promise<number> {
  if (!stream.write(text)) await once(stream, 'drain');
  return Buffer.byteLength(text);
}

/** Write baseline `pathA` and current `pathB` of about `bytes` each; `changeRate` of events deviate. */
export async function writeTracePair(
  pathA: string,
  pathB: string,
  bytes: number,
  changeRate = 0.01,
  seed = 7,
): Promise<SynthResult> {
  const a = createWriteStream(pathA);
  const b = createWriteStream(pathB);
  const r = seededRandom(seed);
  const pick = seededRandom(seed + 1);
  const res: SynthResult = { events: 0, deviations: 0, bytesA: 0, bytesB: 0 };
  let bufA = '';
  let bufB = '';
  for (let i = 0; res.bytesA + bufA.length < bytes; i++) {
    const ts = 1_700_000_000_000 + i;
    const line = event(i, r, ts);
    bufA += `${line}\n`;
    res.events++;
    if (pick() < changeRate) {
      res.deviations++;
      const kind = Math.floor(pick() * 3);
      if (kind === 0)
        bufB += `${line.replace(/"ok":(true|false)/, (_m, v: string) => `"ok":${v === 'true' ? 'false' : 'true'}`)}\n`;
      else if (kind === 2) bufB += `${event(i + 1e9, pick, ts)}\n`;
      // kind 1: removed from B
    } else {
      // volatile fields differ on every line (timestamps are re-recorded), which a text diff cannot ignore
      bufB += `${line.replace(`"ts":${ts}`, `"ts":${ts + 5}`)}\n`;
    }
    if (bufA.length > 1 << 20) {
      res.bytesA += await put(a, bufA);
      res.bytesB += await put(b, bufB);
      bufA = '';
      bufB = '';
    }
  }
  res.bytesA += await put(a, bufA);
  res.bytesB += await put(b, bufB);
  a.end();
  b.end();
  await Promise.all([once(a, 'finish'), once(b, 'finish')]);
  return res;
}
