// Texts the server builds from client input (a uname, a walk name, a file
// name) end up in Rerror replies and in the logs. A client can send a name of
// ~64 KiB, and JSON-escaping can grow it six-fold, so every such text is cut
// to a byte bound before it is used: an error reply must fit msize and a log
// line must stay a line, whatever the client sent.

/** Longest client-derived fragment (a name, an identity) quoted in a text, in UTF-8 bytes. */
export const MAX_QUOTED_BYTES = 256;
/** Longest error text or log detail, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 2048;

/** `text` cut to at most `maxBytes` UTF-8 bytes (on a character boundary), marked when cut. */
export function clipText(text: string, maxBytes: number = MAX_TEXT_BYTES): string {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return text;
  const marker = `… (${size} bytes, cut)`;
  const withMarker = Buffer.byteLength(marker) < maxBytes;
  const room = withMarker ? maxBytes - Buffer.byteLength(marker) : maxBytes;
  let head = Buffer.from(text).subarray(0, room).toString('utf8');
  // a character cut in half decodes as U+FFFD (3 bytes): drop it
  while (head.length > 0 && (Buffer.byteLength(head) > room || head.endsWith('\uFFFD')))
    head = head.slice(0, -1);
  return withMarker ? head + marker : head;
}

/** A client-supplied name, JSON-quoted and bounded, for error texts and logs. */
export function quoteName(name: string): string {
  return clipText(JSON.stringify(name), MAX_QUOTED_BYTES);
}
