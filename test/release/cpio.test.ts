// The newc reader against archives the system cpio made: a good archive read
// entry by entry, and every way an archive can be wrong (truncated anywhere,
// not an archive, a claimed size past the end, a bad checksum) as a typed
// error naming the offset. The reference bundle's writer is checked with the
// system cpio too.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpioArchive, CpioError, MAX_NAME_BYTES } from '../../harness/release/cpio.ts';
import { writeNewc } from '../../reference/release/cpio-writer.ts';
import { tempDir } from '../helpers/cli.ts';
import { systemCpio, systemCpioExtract, systemCpioList } from './system-cpio.ts';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** a tree like a release payload: nested dirs, odd sizes (padding), an empty file, a symlink, a hard link */
function payloadTree(): { dir: string; files: Record<string, Buffer> } {
  const dir = tempDir('cqa-cpio-tree-');
  const files: Record<string, Buffer> = {
    'cohesix/bin/root-task': randomBytes(70_001),
    'cohesix/bin/nine-door': randomBytes(3),
    'cohesix/manifest.json': Buffer.from('{"binaries":[]}\n'),
    'cohesix/proc/tests/selftest_quick.coh': Buffer.from('attach queen\nEXPECT OK\n'),
    'cohesix/empty': Buffer.alloc(0),
  };
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), data);
  }
  symlinkSync('root-task', join(dir, 'cohesix/bin/init'));
  linkSync(join(dir, 'cohesix/bin/nine-door'), join(dir, 'cohesix/bin/ninedoor-link'));
  return { dir, files };
}

function archiveFile(bytes: Buffer): string {
  const f = join(tempDir('cqa-cpio-'), 'a.cpio');
  writeFileSync(f, bytes);
  return f;
}

function cpioError(f: () => unknown): CpioError {
  try {
    f();
  } catch (e) {
    if (e instanceof CpioError) return e;
    throw e;
  }
  throw new Error('expected a CpioError, nothing was thrown');
}

describe('CPIO newc reader', () => {
  const tree = payloadTree();
  const good = systemCpio(tree.dir);

  it('lists what the system cpio lists, and hashes every file as its bytes', () => {
    const a = CpioArchive.open(archiveFile(good));
    expect(a.entries.map((e) => e.name)).toEqual(systemCpioList(good));
    for (const [p, data] of Object.entries(tree.files)) {
      const e = a.get(p);
      expect(e, p).toMatchObject({ path: p, type: 'file', size: data.length });
      expect(a.digest(e!)).toEqual({ size: data.length, sha256: sha(data) });
    }
    expect(a.get('./cohesix/bin/root-task')?.path, 'a leading ./ is ignored').toBe('cohesix/bin/root-task');
    expect(a.get('cohesix/bin')?.type).toBe('directory');
    expect(a.get('cohesix/bin/init')?.type).toBe('symlink');
    expect(a.get('cohesix/bin/nope')).toBeUndefined();
  });

  it('resolves a hard link to the member that holds the data', () => {
    const a = CpioArchive.open(archiveFile(good));
    const data = tree.files['cohesix/bin/nine-door']!;
    for (const p of ['cohesix/bin/nine-door', 'cohesix/bin/ninedoor-link'])
      expect(a.digest(a.get(p)!), p).toEqual({ size: data.length, sha256: sha(data) });
  });

  it('sees one changed byte of an archived file', () => {
    const tampered = Buffer.from(good);
    const a = CpioArchive.open(archiveFile(good));
    const e = a.get('cohesix/bin/root-task')!;
    tampered[e.dataOffset + 100] = tampered[e.dataOffset + 100]! ^ 0x01;
    const b = CpioArchive.open(archiveFile(tampered));
    expect(b.digest(b.get('cohesix/bin/root-task')!).sha256).not.toBe(
      sha(tree.files['cohesix/bin/root-task']!),
    );
  });

  it('verifies the checksums of the 070702 (crc) variant', () => {
    const crc = systemCpio(tree.dir, 'crc');
    expect(crc.subarray(0, 6).toString()).toBe('070702');
    const a = CpioArchive.open(archiveFile(crc));
    const e = a.get('cohesix/bin/root-task')!;
    expect(a.digest(e).sha256).toBe(sha(tree.files['cohesix/bin/root-task']!));
    const bad = Buffer.from(crc);
    bad[e.dataOffset] = bad[e.dataOffset]! ^ 0x01;
    const err = cpioError(() => {
      const b = CpioArchive.open(archiveFile(bad));
      b.digest(b.get('cohesix/bin/root-task')!);
    });
    expect(err.kind).toBe('malformed');
    expect(err.offset).toBe(e.headerOffset);
    expect(err.message).toMatch(
      /entry cohesix\/bin\/root-task: its data sums to \d+, the 070702 header says \d+/,
    );
  });

  it('refuses a truncated archive at every cut, naming the offset', () => {
    const a = CpioArchive.open(archiveFile(good));
    const e = a.get('cohesix/bin/root-task')!;
    const trailerAt = good.lastIndexOf(Buffer.from('070701'));
    const cuts: Array<[number, RegExp]> = [
      [50, /truncated archive at byte 0: the first header needs 110 bytes, the archive has 50 left/],
      [
        e.headerOffset + 60,
        new RegExp(`truncated archive at byte ${e.headerOffset}: the header after entry`),
      ],
      [
        e.headerOffset + 112,
        new RegExp(`truncated archive at byte ${e.headerOffset + 110}: a name of \\d+ bytes`),
      ],
      [
        e.dataOffset + 1000,
        new RegExp(
          `truncated archive at byte ${e.dataOffset}: entry cohesix/bin/root-task claims 70001 bytes`,
        ),
      ],
      [
        trailerAt,
        new RegExp(
          `truncated archive at byte ${trailerAt}: the archive ends after \\d+ entries with no TRAILER!!! entry`,
        ),
      ],
    ];
    for (const [cut, re] of cuts) {
      const err = cpioError(() => CpioArchive.open(archiveFile(good.subarray(0, cut))));
      expect(err.kind, `cut at ${cut}`).toBe('truncated');
      expect(err.message, `cut at ${cut}`).toMatch(re);
    }
  });

  it('says what a file that is not a newc archive is', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /not a CPIO newc archive at byte 0: the file is empty/],
      [
        Buffer.from('\x7fELF not an archive at all, long enough to hold a header '.repeat(4)),
        /starts with ".ELF n", not the newc magic "070701"/,
      ],
      [
        systemCpio(tree.dir, 'odc'),
        /"odc" \(portable ASCII\) cpio archive; rebuild it with `cpio -o -H newc`/,
      ],
      [
        Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(200)]),
        /gzip-compressed; decompress it first/,
      ],
      [Buffer.from('0707'), /truncated archive at byte 0/],
    ];
    for (const [bytes, re] of cases) {
      const err = cpioError(() => CpioArchive.open(archiveFile(bytes)));
      expect(err.message).toMatch(re);
      expect(err.offset).toBe(0);
    }
    expect(cpioError(() => CpioArchive.open(archiveFile(Buffer.from('hello')))).kind).toBe('not-an-archive');
  });

  it('checks a claimed size against the file before reading it (no allocation from a hostile header)', () => {
    const hostile = (fields: Partial<Record<'filesize' | 'namesize', number>>, name = 'x\0'): Buffer => {
      const f = { filesize: 0, namesize: Buffer.byteLength(name), ...fields };
      const hex = (n: number): string => n.toString(16).padStart(8, '0');
      const head = `070701${[1, 0o100644, 0, 0, 1, 0, f.filesize, 0, 0, 0, 0, f.namesize, 0].map(hex).join('')}`;
      return Buffer.concat([Buffer.from(head), Buffer.from(name), Buffer.alloc(64)]);
    };
    const big = cpioError(() => CpioArchive.open(archiveFile(hostile({ filesize: 0xffffffff }))));
    expect(big.kind).toBe('truncated');
    expect(big.message).toMatch(
      /at byte 112: entry x claims 4294967295 bytes of data, the archive has \d+ left/,
    );
    const longName = cpioError(() => CpioArchive.open(archiveFile(hostile({ namesize: 0xffffffff }))));
    expect(longName.kind).toBe('malformed');
    expect(longName.message).toContain(`name size 4294967295 is outside 1..${MAX_NAME_BYTES}`);
    const noNul = cpioError(() => CpioArchive.open(archiveFile(hostile({}, 'xy'))));
    expect(noNul.message).toMatch(/malformed archive at byte 110: the name is not NUL-terminated/);
    const badHex = Buffer.from(good);
    badHex.write('zzzzzzzz', 6 + 6 * 8, 'latin1');
    expect(cpioError(() => CpioArchive.open(archiveFile(badHex))).message).toMatch(
      /malformed archive at byte 54: header field filesize is "zzzzzzzz", not 8 hex digits/,
    );
  });

  it('reads a small entry whole, and refuses one over the given bound', () => {
    const a = CpioArchive.open(archiveFile(good));
    expect(a.read(a.get('cohesix/manifest.json')!, 1024).toString()).toBe('{"binaries":[]}\n');
    expect(() => a.read(a.get('cohesix/bin/root-task')!, 1024)).toThrow(
      /holds 70001 bytes, more than the 1024/,
    );
  });
});

describe("the reference bundle's newc writer", () => {
  it('writes what the system cpio lists and extracts byte for byte', () => {
    const files = {
      'cohesix/bin/root-task': randomBytes(1001),
      'cohesix/manifest.json': Buffer.from('{}\n'),
    };
    const bytes = writeNewc([
      ...Object.entries(files).map(([path, data]) => ({ path, data })),
      { path: 'cohesix/proc/tests' },
    ]);
    expect(bytes.length % 512).toBe(0);
    expect(systemCpioList(bytes)).toEqual([
      'cohesix',
      'cohesix/bin',
      'cohesix/bin/root-task',
      'cohesix/manifest.json',
      'cohesix/proc',
      'cohesix/proc/tests',
    ]);
    const out = tempDir('cqa-cpio-x-');
    systemCpioExtract(bytes, out);
    for (const [p, data] of Object.entries(files)) expect(sha(readFileSync(join(out, p))), p).toBe(sha(data));
  });
});
