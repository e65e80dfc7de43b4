// ELF64 header and program-header parser: just what the layout checks need.
// Hostile input gets an ElfParseError naming the offset and what was wrong,
// never an out-of-bounds read.

export class ElfParseError extends Error {
  override name = 'ElfParseError';
}

export const PT_LOAD = 1;

export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface Elf64 {
  machine: number;
  type: number;
  entry: bigint;
  littleEndian: boolean;
  programHeaders: ProgramHeader[];
}

export const EM_AARCH64 = 183;
export const EM_X86_64 = 62;

export function parseElf64(buf: Buffer, name = 'image'): Elf64 {
  const fail = (msg: string): never => {
    throw new ElfParseError(`${name}: ${msg}`);
  };
  if (buf.length < 64) fail(`too short for an ELF64 header (${buf.length} bytes, need 64)`);
  if (buf.readUInt32BE(0) !== 0x7f454c46)
    fail('not an ELF file (magic bytes 7f 45 4c 46 missing at offset 0)');
  if (buf[4] !== 2)
    fail(
      `not ELF64 (EI_CLASS at offset 4 is ${buf[4]}, expected 2); a 32-bit image here is a known regression`,
    );
  const le = buf[5] === 1;
  if (buf[5] !== 1 && buf[5] !== 2)
    fail(`bad EI_DATA ${buf[5]} at offset 5 (expected 1 little or 2 big endian)`);
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number): bigint => (le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const type = u16(16);
  const machine = u16(18);
  const entry = u64(24);
  const phoff = u64(32);
  const phentsize = u16(54);
  const phnum = u16(56);
  if (phnum > 0 && phentsize < 56)
    fail(`e_phentsize ${phentsize} at offset 54 is smaller than an ELF64 program header (56)`);
  if (phoff + BigInt(phnum) * BigInt(phentsize) > BigInt(buf.length)) {
    fail(
      `program header table (offset ${phoff}, ${phnum} × ${phentsize} bytes) runs past the end of the file (${buf.length} bytes)`,
    );
  }
  const programHeaders: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = Number(phoff) + i * phentsize;
    programHeaders.push({
      index: i,
      type: u32(o),
      flags: u32(o + 4),
      offset: u64(o + 8),
      vaddr: u64(o + 16),
      paddr: u64(o + 24),
      filesz: u64(o + 32),
      memsz: u64(o + 40),
      align: u64(o + 48),
    });
  }
  return { machine, type, entry, littleEndian: le, programHeaders };
}

export function hex(v: bigint): string {
  return '0x' + v.toString(16).padStart(8, '0');
}
