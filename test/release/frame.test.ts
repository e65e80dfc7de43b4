import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame, FrameDecoder, rawFrame } from '../../contract/cohsh/frame.ts';
import { parseErr, parseFields } from '../../harness/cohsh/errors.ts';
import { catAck, errLine, fitLine } from '../../reference/release/acks.ts';

describe('cohsh frames', () => {
  it('encodes len[4] little-endian counting the header', () => {
    const f = encodeFrame('PING');
    expect(f.readUInt32LE(0)).toBe(8);
    expect(f.subarray(4).toString()).toBe('PING');
  });

  it('decodes frames split at any byte boundary', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        (lines, step) => {
          const bytes = Buffer.concat(lines.map(encodeFrame));
          const d = new FrameDecoder();
          const out: string[] = [];
          for (let i = 0; i < bytes.length; i += step)
            for (const f of d.push(bytes.subarray(i, i + step))) if (f.kind === 'line') out.push(f.line);
          expect(out).toEqual(lines);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports an oversized frame once, skips its body and stays in step', () => {
    const d = new FrameDecoder();
    const out = d.push(Buffer.concat([rawFrame(304, Buffer.alloc(300, 0x41)), encodeFrame('PING')]));
    expect(out).toEqual([
      { kind: 'invalid-length', length: 304 },
      { kind: 'line', line: 'PING' },
    ]);
  });

  it('reports a length shorter than a header without consuming the next frame', () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.concat([rawFrame(2, Buffer.alloc(0)), encodeFrame('PING')]))).toEqual([
      { kind: 'invalid-length', length: 2 },
      { kind: 'line', line: 'PING' },
    ]);
  });

  it('accepts exactly 256 bytes and rejects 257', () => {
    const d = new FrameDecoder();
    expect(d.push(encodeFrame('x'.repeat(256)))[0]!.kind).toBe('line');
    expect(d.push(rawFrame(261, Buffer.alloc(257, 0x78)))[0]).toEqual({
      kind: 'invalid-length',
      length: 261,
    });
  });
});

describe('cohsh replies', () => {
  it('parses ERR lines into verb, reason and detail', () => {
    expect(parseErr('ERR PARSE reason=unknown-verb detail=FOO')).toMatchObject({
      verb: 'PARSE',
      reason: 'unknown-verb',
      detail: 'FOO',
    });
    expect(parseErr('OK AUTH')).toBeNull();
  });

  it('keeps spaces inside a data= value', () => {
    expect(parseFields('path=/proc/boot data=release 0.3 alpha')).toEqual({
      path: '/proc/boot',
      data: 'release 0.3 alpha',
    });
  });
});

describe('reference console reply lines', () => {
  it('cuts a line to 256 bytes without splitting a UTF-8 character', () => {
    const line = `${'x'.repeat(255)}é`;
    expect(Buffer.byteLength(fitLine(line))).toBe(255);
    expect(fitLine('short')).toBe('short');
  });

  it('writes the ERR form with only the fields given, in the recorded order', () => {
    expect(errLine('CAT', 'policy', { detail: 'invalid-path', path: '/p', error: 'invalid path' })).toBe(
      'ERR CAT reason=policy detail=invalid-path path=/p error=invalid path',
    );
    expect(errLine('LS', 'not-attached')).toBe('ERR LS reason=not-attached');
  });

  it('summarises a CAT as the lines joined with |, cut to fit a frame', () => {
    expect(catAck('/log/queen.log', ['batch-1', 'batch-2', 'batch-3'])).toBe(
      'OK CAT path=/log/queen.log data=batch-1|batch-2|batch-3',
    );
    expect(Buffer.byteLength(catAck('/f', Array(100).fill('0123456789')))).toBe(256);
    expect(parseFields(catAck('/f', ['a b', 'c'])).data).toBe('a b|c');
  });
});
