// Option parsers shared by commands.

/** A repeatable, comma-separated list option: --suite a,b --suite c → [a, b, c]. */
export const commaList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
