// Builds small ELF64 files in memory so the parser and layout checks can be
// tested on exact, hostile and edge-case headers.
export interface SegmentSpec {
  type?: number;
  paddr: bigint;
  vaddr?: bigint;
  memsz: bigint;
  filesz?: bigint;
}

export function buildElf64(opts: {
  entry: bigint;
  segments: SegmentSpec[];
  machine?: number;
  littleEndian?: boolean;
  elfClass?: number;
}): Buffer {
  const le = opts.littleEndian ?? true;
  const phoff = 64;
  const buf = Buffer.alloc(phoff + 56 * opts.segments.length);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = opts.elfClass ?? 2;
  buf[5] = le ? 1 : 2;
  buf[6] = 1;
  const w16 = (v: number, o: number) => (le ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (le ? buf.writeUInt32LE(v, o) : buf.writeUInt32BE(v, o));
  const w64 = (v: bigint, o: number) => (le ? buf.writeBigUInt64LE(v, o) : buf.writeBigUInt64BE(v, o));
  w16(2, 16);
  w16(opts.machine ?? 183, 18);
  w32(1, 20);
  w64(opts.entry, 24);
  w64(BigInt(phoff), 32);
  w16(64, 52);
  w16(56, 54);
  w16(opts.segments.length, 56);
  opts.segments.forEach((s, i) => {
    const o = phoff + i * 56;
    w32(s.type ?? 1, o);
    w32(5, o + 4);
    w64(0n, o + 8);
    w64(s.vaddr ?? s.paddr, o + 16);
    w64(s.paddr, o + 24);
    w64(s.filesz ?? s.memsz, o + 32);
    w64(s.memsz, o + 40);
    w64(0x1000n, o + 48);
  });
  return buf;
}
