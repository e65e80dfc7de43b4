// A user's target may keep its validator rules and logs elsewhere: the config's
// trace.validator paths are accepted by the schema and reach the suite's tools.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../harness/config/load.ts';
import { areaConfig } from '../../harness/target/start.ts';
import { TraceTools } from '../../harness/trace/tools.ts';
import { tempDir } from '../helpers/cli.ts';

describe('trace.validator in the config', () => {
  it('overrides where the validator rules and logs are read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ns'));
    writeFileSync(
      join(dir, 'cohesix-qa.config.json'),
      JSON.stringify({ trace: { nsRoot: 'ns', validator: { rulesDir: '/srv/validator/rules' } } }),
    );
    const loaded = await loadConfig(undefined, dir);
    const tools = new TraceTools(areaConfig(loaded, 'trace') as ConstructorParameters<typeof TraceTools>[0]);
    expect(tools.validatorPaths()).toEqual({
      rulesDir: '/srv/validator/rules',
      rulesLog: '/log/validation_rules.log',
      logDir: '/log/validator',
    });
  });

  it('refuses a relative namespace path, naming it', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'cohesix-qa.config.json'),
      JSON.stringify({ trace: { validator: { rulesLog: 'validation_rules.log' } } }),
    );
    await expect(loadConfig(undefined, dir)).rejects.toThrow(
      /trace\.validator\.rulesLog: expected a string matching .*, found "validation_rules\.log"/,
    );
  });
});
