import { describe, expect, it } from 'vitest';
import { expandPlaceholders, parseScript } from '../../harness/coh/parse.ts';

const problems = (t: string) => parseScript(t).problems.map((p) => `${p.line}: ${p.problem}`);

describe('.coh parser', () => {
  it('ignores blank lines and # comments and keeps file line numbers', () => {
    const p = parseScript('# header\n\nattach queen\n  # indented comment\nEXPECT OK\nWAIT 200\n');
    expect(p.problems).toEqual([]);
    expect(p.statements.map((s) => [s.line, s.type])).toEqual([
      [3, 'command'],
      [5, 'expect'],
      [6, 'wait'],
    ]);
  });

  it('reads every EXPECT form', () => {
    const p = parseScript('attach queen\nEXPECT OK\nEXPECT ERR\nEXPECT SUBSTR role=queen x\nEXPECT NOT ERR');
    expect(
      p.statements.filter((s) => s.type === 'expect').map((s) => s.type === 'expect' && s.expect),
    ).toEqual([
      { kind: 'OK' },
      { kind: 'ERR' },
      { kind: 'SUBSTR', text: 'role=queen x' },
      { kind: 'NOT', text: 'ERR' },
    ]);
  });

  it('caps a script at 256 lines', () => {
    const ok = ['attach queen', ...Array.from({ length: 255 }, () => 'ping')].join('\n');
    expect(problems(ok)).toEqual([]);
    expect(problems(`${ok}\nping`)).toEqual([
      '257: the script has 257 lines; .coh scripts are capped at 256',
    ]);
  });

  it('caps WAIT at 2000 ms and wants a whole number', () => {
    expect(problems('WAIT 2000')).toEqual([]);
    expect(problems('WAIT 2001\nWAIT soon')).toEqual([
      '1: WAIT 2001: at most 2000 ms per WAIT',
      '2: WAIT needs one whole number of milliseconds',
    ]);
  });

  it('names unknown commands, bad EXPECTs, unknown placeholders, and commands with no session', () => {
    expect(
      problems(
        'cat /proc/boot\nattach queen\nfrob\nEXPECT MAYBE\nEXPECT SUBSTR\necho {{nope}} > /log/queen.log',
      ),
    ).toEqual([
      '1: "cat" before any attach: there is no session to send it on',
      expect.stringMatching(/^3: unknown command "frob"/),
      '4: EXPECT needs OK, ERR, SUBSTR <text> or NOT <text>',
      '5: EXPECT needs OK, ERR, SUBSTR <text> or NOT <text>',
      '6: unknown placeholder {{nope}} (known: msize_overflow, worker_id, worker_ticket)',
    ]);
    expect(problems('EXPECT OK')).toEqual(['1: EXPECT before any command: nothing to judge']);
    // a quit ends the session: the next command needs a new attach
    expect(problems('attach queen\nquit\nping')).toEqual([
      '3: "ping" before any attach: there is no session to send it on',
    ]);
  });

  it('fills placeholders and reports the ones without a value', () => {
    expect(expandPlaceholders('attach w {{ worker_ticket }}', { worker_ticket: 't' })).toEqual({
      text: 'attach w t',
      missing: [],
    });
    expect(expandPlaceholders('x {{worker_id}}', {}).missing).toEqual(['worker_id']);
  });
});
