import { describe, expect, test } from 'vitest';
import { parseElf64, ElfParseError, PT_LOAD } from '../../../harness/boot/elf.ts';
import { checkLayout, parseRange, VIRT_AARCH64_RAM } from '../../../harness/boot/layout.ts';
import { buildElf64 } from '../elf-builder.ts';

describe('ELF64 program headers', () => {
  test('parses entry, machine and LOAD segments (little and big endian)', () => {
    for (const littleEndian of [true, false]) {
      const elf = parseElf64(
        buildElf64({
          entry: 0x40080000n,
          littleEndian,
          segments: [
            { paddr: 0x40080000n, memsz: 0x2000n },
            { type: 4, paddr: 0n, memsz: 0x20n },
          ],
        }),
      );
      expect(elf.littleEndian).toBe(littleEndian);
      expect(elf.entry).toBe(0x40080000n);
      expect(elf.machine).toBe(183);
      expect(elf.programHeaders).toHaveLength(2);
      expect(elf.programHeaders[0]).toMatchObject({ type: PT_LOAD, paddr: 0x40080000n, memsz: 0x2000n });
      expect(elf.programHeaders[1]!.type).toBe(4);
    }
  });

  test('rejects hostile input with the place of the problem', () => {
    expect(() => parseElf64(Buffer.from('short'))).toThrow(/too short/);
    expect(() => parseElf64(Buffer.alloc(64))).toThrow(/magic/);
    expect(() => parseElf64(buildElf64({ entry: 0n, elfClass: 1, segments: [] }))).toThrow(
      /not ELF64.*32-bit/,
    );
    const truncated = buildElf64({ entry: 0n, segments: [{ paddr: 0x40000000n, memsz: 1n }] }).subarray(
      0,
      80,
    );
    expect(() => parseElf64(truncated, 'x.elf')).toThrow(ElfParseError);
    expect(() => parseElf64(truncated, 'x.elf')).toThrow(/x\.elf: program header table .* runs past the end/);
    const hugeCount = buildElf64({ entry: 0n, segments: [] });
    hugeCount.writeUInt16LE(0xffff, 56);
    expect(() => parseElf64(hugeCount)).toThrow(/runs past the end/);
  });
});

describe('layout checks', () => {
  const ok = buildElf64({ entry: 0x40080010n, segments: [{ paddr: 0x40080000n, memsz: 0x10000n }] });

  test('a segment inside virt RAM with the entry inside it passes', () => {
    expect(checkLayout(parseElf64(ok))).toEqual([]);
  });

  test('a segment past the end of RAM, touching the edge, or straddling it fails', () => {
    const past = parseElf64(
      buildElf64({
        entry: 0x40080000n,
        segments: [
          { paddr: 0x40080000n, memsz: 0x100n },
          { paddr: 0x80000000n, memsz: 0x20n },
        ],
      }),
    );
    const v = checkLayout(past);
    expect(v).toHaveLength(1);
    expect(v[0]!.kind).toBe('segment-outside-ranges');
    expect(v[0]!.message).toContain('0x80000000');
    const straddle = parseElf64(
      buildElf64({ entry: 0x7ffff000n, segments: [{ paddr: 0x7ffff000n, memsz: 0x2000n }] }),
    );
    expect(checkLayout(straddle).map((x) => x.kind)).toEqual(['segment-outside-ranges']);
    const edge = parseElf64(
      buildElf64({ entry: 0x7ffff000n, segments: [{ paddr: 0x7ffff000n, memsz: 0x1000n }] }),
    );
    expect(checkLayout(edge)).toEqual([]);
  });

  test('an entry point outside every LOAD segment fails', () => {
    const e = parseElf64(
      buildElf64({ entry: 0x50000000n, segments: [{ paddr: 0x40080000n, memsz: 0x100n }] }),
    );
    expect(checkLayout(e).map((x) => x.kind)).toEqual(['entry-outside-load']);
  });

  test('no LOAD segment at all fails', () => {
    expect(checkLayout(parseElf64(buildElf64({ entry: 0n, segments: [] }))).map((x) => x.kind)).toEqual([
      'no-load-segments',
    ]);
  });

  test('ranges come from config strings and are validated', () => {
    expect(parseRange('0x4000_0000..0x8000_0000')).toEqual(VIRT_AARCH64_RAM);
    expect(parseRange({ start: '0x1000', end: 8192 })).toEqual({ start: 0x1000n, end: 0x2000n });
    expect(() => parseRange('0x80000000..0x40000000')).toThrow(/empty/);
    expect(() => parseRange('nonsense')).toThrow(/must look like/);
    const custom = parseElf64(
      buildElf64({ entry: 0x100010n, segments: [{ paddr: 0x100000n, memsz: 0x1000n }] }),
    );
    expect(checkLayout(custom)).toHaveLength(1);
    expect(checkLayout(custom, [parseRange('0x100000..0x200000')])).toEqual([]);
  });
});
