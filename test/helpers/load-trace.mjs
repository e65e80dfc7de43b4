// `node --import ./load-trace.mjs …` prints every module the process loads as
// "loaded <url>" on stderr: how test/architecture/cli-startup.test.ts sees what a CLI
// start-up imports. The hooks run on Node's loader thread (module.register).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function load(url, context, next) {' +
        ' process.stderr.write(`loaded ${url}\\n`); return next(url, context); }',
    ),
);
