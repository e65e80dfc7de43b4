import { describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { LineCapture, WaitTimeoutError } from '../../../harness/serial/line-capture.ts';

describe('serial line capture', () => {
  test('splits lines across chunks, strips CR, stamps each with the arrival time of its last byte', () => {
    const c = new LineCapture();
    c.push(Buffer.from('ROOTSER'), 10);
    c.push(Buffer.from('VER ONLINE\r\nCOHESIX_'), 12.5);
    c.push(Buffer.from('BOOT_OK\r\n'), 20);
    const lines = c.all();
    expect(lines.map((l) => l.text)).toEqual(['ROOTSERVER ONLINE', 'COHESIX_BOOT_OK']);
    expect(lines.map((l) => l.t)).toEqual([12.5, 20]);
    expect(c.firstByteAt).toBe(10);
  });

  test('is binary-safe: raw bytes kept, display text without control bytes', () => {
    const c = new LineCapture();
    c.push(Buffer.from([0x41, 0x00, 0xff, 0x1b, 0x5b, 0x42, 0x0a]));
    const [l] = c.all();
    expect([...l!.bytes]).toEqual([0x41, 0x00, 0xff, 0x1b, 0x5b, 0x42]);
    expect(l!.text).toBe('A\u00ff[B');
  });

  test('bounds line length and the number of kept lines', () => {
    const c = new LineCapture({ maxLines: 3, maxLineBytes: 8 });
    c.push(Buffer.from('0123456789abcdefXY\n'));
    expect(c.all().map((l) => l.text)).toEqual(['01234567', '89abcdef', 'XY']);
    c.push(Buffer.from('a\nb\nc\n'));
    expect(c.all().map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(c.lineCount).toBe(6);
    expect(c.all()[0]!.index).toBe(3);
  });

  test('waitFor resolves on a later line, and a timeout names the pattern and the last lines', async () => {
    const c = new LineCapture();
    c.push(Buffer.from('hello\n'));
    const p = c.waitFor(/BOOT_OK/, { timeoutMs: 1000 });
    setTimeout(() => c.push(Buffer.from('x COHESIX_BOOT_OK\n')), 10);
    expect((await p).text).toBe('x COHESIX_BOOT_OK');
    const err = await c.waitFor('NEVER', { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toMatch(/waited for "NEVER": not seen within 30 ms/);
    expect((err as Error).message).toContain('| x COHESIX_BOOT_OK');
    expect((err as WaitTimeoutError).lastLines).toEqual(['hello', 'x COHESIX_BOOT_OK']);
  });

  test('fromIndex skips earlier lines; a closing stream ends the wait at once', async () => {
    const c = new LineCapture();
    const s = new PassThrough();
    c.attach(s);
    s.write('marker\n');
    await new Promise((r) => setImmediate(r));
    const p = c.waitFor('marker', { timeoutMs: 5000, fromIndex: 1 });
    s.end('tail without newline');
    const err = (await p.catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err.reason).toBe('closed');
    expect(err.lastLines).toContain('tail without newline');
  });
});
