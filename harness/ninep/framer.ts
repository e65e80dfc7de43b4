// Cuts a byte stream into 9P frames. The size field is checked before a single
// body byte is buffered for it: below 7 or above the negotiated msize is a
// protocol error, so a hostile peer cannot make us buffer without bound.
import { NinepProtocolError } from './errors.ts';
import { HEADER_SIZE } from './codec.ts';

export class Framer {
  private chunks: Buffer[] = [];
  private buffered = 0;
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
      frames.push(this.take(size));
    }
    return { frames };
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
    }
    this.buffered -= n;
    return frame;
  }
}
