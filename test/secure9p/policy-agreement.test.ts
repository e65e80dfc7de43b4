// The harness's policy validator (what the suite judges policy files with) and
// the reference Secure9P server's own reader (what it runs with) are written
// apart on purpose (#16). Here both read the same files: they must see the same
// agents, roots and rules in the policies the project ships, and both refuse
// every malformed one, so a drift on either side shows.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicy, PolicyError } from '../../harness/secure9p/policy.ts';
import { PolicyFileError, readServerPolicy } from '../../reference/secure9p/policy-file.ts';
import { EXAMPLE_POLICY, MALFORMED_DIR } from '../../reference/secure9p/setup.ts';
import { ALERTS_POLICY } from '../../reference/federation/alerts-export.ts';

const SHIPPED = [
  ['the contract example policy', EXAMPLE_POLICY],
  ['the federation alerts policy', ALERTS_POLICY],
] as const;

describe('Secure9P policy files: harness and reference read them alike', () => {
  it.each(SHIPPED)('%s: same listener, TLS files, agents, roots and rules', (_name, file) => {
    const checker = loadPolicy(file, { checkFiles: false });
    const server = readServerPolicy(file, { checkFiles: false });
    expect(server.listener, 'the TLS listener as the reference server reads it').toEqual({
      port: checker.port,
      cert: checker.cert,
      key: checker.key,
      ca: checker.caCert,
      clientCertRequired: checker.requireClientAuth,
    });
    const agents = (
      m: ReadonlyMap<string, { agent: string; root: string; readOnly: boolean; rules: unknown[] }>,
    ) =>
      [...m.values()]
        .map((a) => ({ agent: a.agent, root: a.root, readOnly: a.readOnly, rules: a.rules }))
        .sort((x, y) => x.agent.localeCompare(y.agent));
    expect(agents(server.agents), 'the agents as the reference server reads them').toEqual(
      agents(checker.agents),
    );
    expect(server.agents.size, 'agents in the file').toBeGreaterThan(1);
  });

  const malformed = readdirSync(MALFORMED_DIR).filter((f) => f.endsWith('.toml'));

  it('there are malformed policies to refuse', () => {
    expect(malformed.length, `malformed policies in ${MALFORMED_DIR}`).toBeGreaterThan(5);
  });

  it.each(malformed)('both refuse %s', (name) => {
    const file = join(MALFORMED_DIR, name);
    // only the missing-files policy needs its certificate files looked for
    const checkFiles = name === 'missing-files.toml';
    expect(() => loadPolicy(file, { checkFiles }), 'the harness validator').toThrow(PolicyError);
    expect(() => readServerPolicy(file, { checkFiles }), 'the reference server').toThrow(PolicyFileError);
  });
});
