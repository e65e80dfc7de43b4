// Entry of the trace diff's worker thread. A worker does not inherit the loader
// the CLI registered, so it registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./diff-worker.ts');
