// EXPECT judges the last command's acknowledgement line, never its streamed
// lines (upstream's semantics): OK / ERR by the first word, SUBSTR contains,
// NOT does not contain, both case-sensitive.
import type { Expectation } from './parse.ts';

export interface Judgement {
  ok: boolean;
  detail: string;
}

export function judge(e: Expectation, ack: string | undefined): Judgement {
  if (ack === undefined) return { ok: false, detail: 'no acknowledgement to judge' };
  let ok: boolean;
  let wanted: string;
  switch (e.kind) {
    case 'OK':
    case 'ERR':
      ok = ack === e.kind || ack.startsWith(`${e.kind} `);
      wanted = `an acknowledgement starting ${e.kind}`;
      break;
    case 'SUBSTR':
      ok = ack.includes(e.text);
      wanted = `an acknowledgement containing "${e.text}"`;
      break;
    case 'NOT':
      ok = !ack.includes(e.text);
      wanted = `an acknowledgement without "${e.text}"`;
      break;
  }
  return ok
    ? { ok, detail: 'OK expectation met' }
    : { ok, detail: `expected ${wanted}, the acknowledgement was "${ack}"` };
}
