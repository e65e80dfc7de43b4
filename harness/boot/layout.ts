// Layout checks of a root server ELF: every LOAD segment inside one of the
// configured physical ranges (default: aarch64 `virt` RAM 0x40000000..0x80000000),
// the entry point inside a LOAD segment. Returns every violation, not only the first.
import { hex, PT_LOAD, type Elf64 } from './elf.ts';

export interface AddressRange {
  start: bigint;
  /** exclusive */
  end: bigint;
}

export const VIRT_AARCH64_RAM: AddressRange = { start: 0x4000_0000n, end: 0x8000_0000n };

export interface LayoutViolation {
  kind: 'segment-outside-ranges' | 'entry-outside-load' | 'no-load-segments';
  message: string;
}

/** "0x40000000..0x80000000" or {start,end} numbers/strings, from config */
export function parseRange(spec: string | { start: string | number; end: string | number }): AddressRange {
  const toBig = (v: string | number): bigint => {
    const s = String(v).replace(/_/g, '').trim();
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(s))
      throw new Error(`not an address: ${JSON.stringify(v)} (use 0x... or decimal)`);
    return BigInt(s);
  };
  let r: AddressRange;
  if (typeof spec === 'string') {
    const m = /^\s*(\S+)\s*\.\.\s*(\S+)\s*$/.exec(spec);
    if (!m) throw new Error(`address range ${JSON.stringify(spec)} must look like "0x40000000..0x80000000"`);
    r = { start: toBig(m[1]!), end: toBig(m[2]!) };
  } else r = { start: toBig(spec.start), end: toBig(spec.end) };
  if (r.end <= r.start) throw new Error(`address range ${hex(r.start)}..${hex(r.end)} is empty`);
  return r;
}

export function checkLayout(elf: Elf64, ranges: AddressRange[] = [VIRT_AARCH64_RAM]): LayoutViolation[] {
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  const out: LayoutViolation[] = [];
  if (loads.length === 0) out.push({ kind: 'no-load-segments', message: 'the image has no LOAD segment' });
  const rangeText = ranges.map((r) => `${hex(r.start)}..${hex(r.end)}`).join(', ');
  for (const p of loads) {
    const end = p.paddr + p.memsz;
    const inside = ranges.some((r) => p.paddr >= r.start && end <= r.end);
    if (!inside) {
      out.push({
        kind: 'segment-outside-ranges',
        message: `LOAD segment ${p.index} at physical ${hex(p.paddr)}..${hex(end)} (${p.memsz} bytes) is outside ${rangeText}`,
      });
    }
  }
  const entryOk = loads.some((p) => elf.entry >= p.vaddr && elf.entry < p.vaddr + p.memsz);
  if (loads.length && !entryOk) {
    out.push({
      kind: 'entry-outside-load',
      message: `entry point ${hex(elf.entry)} is not inside any LOAD segment`,
    });
  }
  return out;
}
