// `npx tsx reference/pki/make.ts [dir]`: make the test PKI (idempotent; quick when it exists).
import { ensureTestPki } from './index.ts';
import { DEFAULT_PKI_DIR } from '../secure9p/setup.ts';

const dir = process.argv[2] ?? DEFAULT_PKI_DIR;
ensureTestPki(dir).then(
  (pki) => console.log(`test PKI ready in ${pki.dir}`),
  (e: unknown) => {
    console.error(`could not make the test PKI in ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
