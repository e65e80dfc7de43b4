// Cuts a byte stream into 9P frames. The size field is checked before a single
// body byte is buffered for it: below 7 or above the negotiated msize is a
// protocol error, so a hostile peer cannot make us buffer without bound.
import { NinepProtocolError } from './errors.ts';
import { HEADER_SIZE } from './codec.ts';

/** bytes per receive slab, and the least room a read gets before the next slab is taken */
const SLAB_BYTES = 1 << 20;
const MIN_READ_BYTES = 64 * 1024;
/** free slabs kept for reuse; more are left to the garbage collector */
const POOL_SLABS = 2;

interface Slab {
  buf: Buffer;
  /** frames cut from this slab and not yet released (or escaped) by their consumer */
  lent: number;
  /** a frame of it was kept by someone who will not release it: never reuse this slab */
  escaped: boolean;
  /** reads no longer land in it */
  retired: boolean;
}

export class Framer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  // Receive memory (used when the transport reads into readBuffer()). Reads land one behind
  // the other in a 1 MiB slab, frames are views of it, and a slab whose frames have all been
  // released goes back to a small pool: a streamed read then allocates nothing per message,
  // so the garbage collector (which a 64 MiB read of fresh buffers kept busy) stays idle.
  private readonly slabs = new WeakMap<ArrayBufferLike, Slab>();
  private readonly pool: Buffer[] = [];
  private current?: Slab;
  private used = 0;
  /** the largest frame accepted; set to the negotiated msize after Tversion */
  maxFrame: number;

  constructor(maxFrame: number) {
    this.maxFrame = maxFrame;
  }

  /** bytes received but not yet part of a complete frame */
  get pending(): number {
    return this.buffered;
  }

  /**
   * Feed bytes; returns the complete frames now available, and the protocol error that stopped
   * the cut (a size below 7 or above msize) if any. Frames before a bad one are still returned, so a
   * valid reply is delivered before the connection fails on the garbage behind it.
   */
  push(data: Buffer): { frames: Buffer[]; error?: NinepProtocolError } {
    if (this.current && data.buffer === this.current.buf.buffer)
      this.used = data.byteOffset - this.current.buf.byteOffset + data.length;
    if (data.length > 0) {
      const last = this.chunks[this.chunks.length - 1];
      if (last && last.buffer === data.buffer && last.byteOffset + last.length === data.byteOffset) {
        // the transport read into the memory right behind the previous chunk: one view covers
        // both, so a frame split between the two reads is sliced, not copied
        this.chunks[this.chunks.length - 1] = Buffer.from(
          last.buffer,
          last.byteOffset,
          last.length + data.length,
        );
      } else this.chunks.push(data);
      this.buffered += data.length;
    }
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const size = this.peekSize();
      if (size < HEADER_SIZE)
        return {
          frames,
          error: new NinepProtocolError('short-frame', `frame size ${size} is below the 7-byte minimum`),
        };
      if (size > this.maxFrame)
        return {
          frames,
          error: new NinepProtocolError(
            'frame-too-large',
            `frame size ${size} exceeds msize ${this.maxFrame}`,
          ),
        };
      if (this.buffered < size) break;
      const frame = this.take(size);
      const slab = this.slabs.get(frame.buffer);
      if (slab) slab.lent++;
      frames.push(frame);
    }
    return { frames };
  }

  /**
   * Where the next read from the transport should land: a view of the current slab with at
   * least 64 KiB of room. Bytes read into it are then given to push() as they are.
   */
  readBuffer(): Buffer {
    if (!this.current || SLAB_BYTES - this.used < MIN_READ_BYTES) {
      if (this.current) {
        this.current.retired = true;
        this.recycle(this.current);
      }
      const buf = this.pool.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.current = { buf, lent: 0, escaped: false, retired: false };
      this.slabs.set(buf.buffer, this.current);
      this.used = 0;
    }
    return this.current.buf.subarray(this.used);
  }

  /** The consumer of `frame` (or of a view into it) is done with its bytes: its memory may be reused. */
  release(frame: Uint8Array): void {
    const slab = this.slabs.get(frame.buffer);
    if (!slab || slab.escaped) return;
    slab.lent--;
    this.recycle(slab);
  }

  /** `frame` (or a view into it) is kept for good: its slab is never reused. */
  escape(frame: Uint8Array): void {
    const slab = this.slabs.get(frame.buffer);
    if (slab) slab.escaped = true;
  }

  private recycle(slab: Slab): void {
    if (!slab.retired || slab.escaped || slab.lent > 0) return;
    // bytes of an incomplete frame may still sit in it
    if (this.chunks.some((c) => c.buffer === slab.buf.buffer)) return;
    slab.escaped = true; // handed back once; a stray release later must not hand it back again
    if (this.pool.length < POOL_SLABS) this.pool.push(slab.buf);
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32LE(0);
    // the size field straddles chunks: join everything buffered into one chunk
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all.readUInt32LE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let frame: Buffer;
    if (first.length >= n) {
      frame = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const parts: Buffer[] = [];
      let need = n;
      while (need > 0) {
        const c = this.chunks[0]!;
        if (c.length <= need) {
          parts.push(c);
          this.chunks.shift();
          need -= c.length;
        } else {
          parts.push(c.subarray(0, need));
          this.chunks[0] = c.subarray(need);
          need = 0;
        }
      }
      frame = Buffer.concat(parts, n);
      // the joined pieces may have been the last bytes held of a retired slab
      for (const part of parts) {
        const slab = this.slabs.get(part.buffer);
        if (slab) this.recycle(slab);
      }
    }
    this.buffered -= n;
    return frame;
  }
}
