// Split a stream of byte chunks into lines without holding more than one line
// (plus one chunk) in memory, so a 1 GB trace is read in constant space.
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is not a trace event; refusing it keeps memory bounded on garbage input. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
}

export interface NumberedLine {
  /** 1-based line number within its file */
  n: number;
  text: string;
}

/**
 * Yields the lines of each chunk as one batch (an array), numbered from 1. Batching
 * matters for speed: one async step per chunk instead of per line is what lets a
 * 1 GB trace stream at disk speed. Same line rules as splitLines.
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  where: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<NumberedLine[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let n = 0;
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const batch: NumberedLine[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      n++;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push({ n, text: text.slice(start, end) });
      start = nl + 1;
    }
    carry = start === 0 ? text : text.slice(start);
    if (batch.length > 0) yield batch;
    if (carry.length > maxLineBytes) {
      throw new LineTooLongError(
        `${where}:${n + 1}: line longer than ${maxLineBytes} bytes (is this a JSONL trace file?); split it or raise maxLineBytes`,
      );
    }
  }
  carry += decoder.end();
  if (carry.length > 0) yield [{ n: n + 1, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry }];
}

/**
 * Yields every line (without its "\n"; a trailing "\r" is dropped too), numbered from 1.
 * An empty last line after a final newline is not yielded. `where` names the file in errors.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  where: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<NumberedLine> {
  for await (const batch of splitLineBatches(chunks, where, maxLineBytes)) yield* batch;
}
