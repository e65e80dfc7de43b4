// The cohsh wire format: len[4] little-endian, counting the 4 header bytes,
// then one UTF-8 line of at most 256 bytes (no terminator). The decoder is
// shared by the driver and the reference console so both read the same bytes.
export const MAX_LINE_BYTES = 256;
export const HEADER_BYTES = 4;

export function encodeFrame(line: string): Buffer {
  const body = Buffer.from(line, 'utf8');
  const frame = Buffer.alloc(HEADER_BYTES + body.length);
  frame.writeUInt32LE(HEADER_BYTES + body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

/** a frame whose header announces `declaredLength` bytes (hostile or oversized input for tests) */
export function rawFrame(declaredLength: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(declaredLength >>> 0, 0);
  return Buffer.concat([header, body]);
}

export type DecodedFrame = { kind: 'line'; line: string } | { kind: 'invalid-length'; length: number };

/**
 * Incremental decoder. An invalid length (shorter than a header, or a body over
 * 256 bytes) is reported once and its announced body is skipped as it arrives,
 * so the stream stays in step and the session can continue.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 0;

  push(chunk: Buffer): DecodedFrame[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: DecodedFrame[] = [];
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.skip -= n;
        if (this.skip > 0) break;
      }
      if (this.buf.length < HEADER_BYTES) break;
      const len = this.buf.readUInt32LE(0);
      if (len <= HEADER_BYTES || len > HEADER_BYTES + MAX_LINE_BYTES) {
        out.push({ kind: 'invalid-length', length: len });
        this.buf = this.buf.subarray(HEADER_BYTES);
        // a length below the header has no body to skip; a huge one is skipped up to what it announced
        this.skip = len > HEADER_BYTES ? len - HEADER_BYTES : 0;
        continue;
      }
      if (this.buf.length < len) break;
      out.push({ kind: 'line', line: this.buf.subarray(HEADER_BYTES, len).toString('utf8') });
      this.buf = this.buf.subarray(len);
    }
    return out;
  }
}
