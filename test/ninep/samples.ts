// One well-formed example of every message the codec knows, for round-trip
// tests and as seeds for the fuzzers.
import { MESSAGES, type Message, type MessageType, type Qid, type Stat } from '../../contract/ninep/codec.ts';

export const qid: Qid = { type: 0x80, version: 7, path: 0x1122334455667788n };
export const stat: Stat = {
  type: 1,
  dev: 2,
  qid,
  mode: 0x800001ed,
  atime: 3,
  mtime: 4,
  length: 5n,
  name: 'dir',
  uid: 'glenda',
  gid: 'sys',
  muid: 'ü',
};

const VALUES: Record<string, unknown> = {
  u8: 3,
  u16: 513,
  u32: 70000,
  u64: 1n << 40n,
  s: 'naïve',
  qid,
  wnames: ['a', 'b', 'ç'],
  qids: [qid, { ...qid, type: 0 }],
  data: new Uint8Array([1, 2, 3, 4, 5]),
  stat,
};

/** A sample message of every type, with each field filled from its kind. */
export function sampleMessages(): Message[] {
  return (Object.keys(MESSAGES) as MessageType[]).map((type, i) => {
    const m: Record<string, unknown> = { type, tag: i };
    for (const [name, kind] of MESSAGES[type].fields) m[name] = VALUES[kind];
    return m as unknown as Message;
  });
}

export function dialectOf(type: MessageType): '9P2000' | '9P2000.L' {
  const dotL = ['TattachL', 'TauthL', 'Rlerror'].includes(type) || MESSAGES[type].id < 100;
  return dotL ? '9P2000.L' : '9P2000';
}
