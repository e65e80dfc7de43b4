// /queen/ctl takes one JSON command a line, as the client's shell commands
// write them (cohsh-console.md): spawn, kill, bind, mount. The console checks
// each before acting; a malformed line is refused with the ERR form. A mount
// was refused by the recorded release (policy, invalid-path), so it is here.

export type QueenCommand =
  | { spawn: string; ticks?: number; ttlS?: number }
  | { kill: string }
  | { bind: { from: string; to: string } };

export type CtlOutcome =
  { ok: true; command: QueenCommand } | { ok: false; reason: string; detail: string; error: string };

const SPAWNABLE = ['heartbeat', 'gpu', 'bus', 'lora'];
const bad = (reason: string, detail: string, error: string): CtlOutcome => ({
  ok: false,
  reason,
  detail,
  error,
});
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
const absPath = (v: unknown): v is string => typeof v === 'string' && /^\/[^\s]*$/.test(v);
const onlyKeys = (o: Record<string, unknown>, keys: string[]): boolean =>
  Object.keys(o).every((k) => keys.includes(k));

export function checkQueenCtl(line: string): CtlOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return bad('parse', 'invalid-json', 'expected one JSON object');
  }
  if (!isObject(doc)) return bad('parse', 'invalid-json', 'expected one JSON object');
  if ('spawn' in doc) {
    const { spawn, ticks, budget } = doc;
    if (typeof spawn !== 'string' || !SPAWNABLE.includes(spawn))
      return bad('parse', 'invalid-spawn', `spawn must be one of ${SPAWNABLE.join('|')}`);
    if (!onlyKeys(doc, ['spawn', 'ticks', 'budget']))
      return bad('parse', 'unknown-field', 'unknown field in spawn');
    if (ticks !== undefined && !positiveInt(ticks))
      return bad('parse', 'invalid-ticks', 'ticks must be a positive integer');
    if (budget !== undefined && (!isObject(budget) || !Object.values(budget).every(positiveInt)))
      return bad('parse', 'invalid-budget', 'budget values must be positive integers');
    const ttl = isObject(budget) ? budget.ttl_s : undefined;
    return {
      ok: true,
      command: { spawn, ticks: ticks as number | undefined, ttlS: ttl as number | undefined },
    };
  }
  if ('kill' in doc) {
    if (!onlyKeys(doc, ['kill']) || typeof doc.kill !== 'string' || !/^[\w.-]{1,64}$/.test(doc.kill))
      return bad('parse', 'invalid-kill', 'kill takes a worker id');
    return { ok: true, command: { kill: doc.kill } };
  }
  if ('bind' in doc) {
    const b = doc.bind;
    if (!onlyKeys(doc, ['bind']) || !isObject(b) || !absPath(b.from) || !absPath(b.to))
      return bad('parse', 'invalid-bind', 'bind takes {"from":"/abs","to":"/abs"}');
    return { ok: true, command: { bind: { from: b.from, to: b.to } } };
  }
  if ('mount' in doc) return bad('policy', 'invalid-path', 'invalid path');
  return bad('parse', 'unknown-command', 'expected spawn, kill, bind or mount');
}
