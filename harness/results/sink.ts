// The event sink: stamps each event, redacts secrets, appends it to events.jsonl
// with one synchronous write (so a kill never leaves a torn line), then hands it
// to every live reporter. A reporter that throws is reported, never fatal.
import { appendFileSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_VERSION, type NewEvent, type ResultEvent } from './events.ts';
import { redactValue } from './redact.ts';

/** what the sink needs of a live reporter (reporters/types.ts Reporter fits): results import no reporter */
export interface EventObserver {
  readonly name: string;
  onEvent?(event: ResultEvent): void;
}

export class EventSink {
  private seq = 0;
  private fd: number;
  readonly events: ResultEvent[] = [];
  readonly file: string;

  constructor(
    outDir: string,
    private readonly reporters: readonly EventObserver[],
    private readonly secrets: readonly string[],
  ) {
    mkdirSync(outDir, { recursive: true });
    this.file = join(outDir, 'events.jsonl');
    this.fd = openSync(this.file, 'w');
  }

  emit(event: NewEvent): ResultEvent {
    const stamped = redactValue(
      { v: EVENTS_VERSION, seq: ++this.seq, at: new Date().toISOString(), ...event } as ResultEvent,
      this.secrets,
    );
    appendFileSync(this.fd, JSON.stringify(stamped) + '\n');
    this.events.push(stamped);
    for (const r of this.reporters) {
      try {
        r.onEvent?.(stamped);
      } catch (e) {
        process.stderr.write(`reporter ${r.name} failed on ${stamped.type}: ${(e as Error).message}\n`);
      }
    }
    return stamped;
  }

  close(): void {
    closeSync(this.fd);
  }
}
