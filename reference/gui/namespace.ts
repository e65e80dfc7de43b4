// The parts of the queen's namespace the dashboard shows besides the live cluster:
// federation peers, the boot attestation log and the role manifests. Read from the
// GUI's state dir on every WebSocket connection; seeded with reference content.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COHESIX_ROLES } from '../../contract/roles.ts';

export interface DashboardNamespace {
  federation_peers: Array<{ peer_id: string; endpoint: string; status: string; last_sync: number }>;
  attestation_log: string[];
  role_manifests: Record<string, unknown>;
}

export const NAMESPACE_FILES = {
  peers: 'srv/federation/peers.json',
  attestation: 'log/boot_attestation.log',
  manifests: 'srv/role_manifests.json',
} as const;

function readJson<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

export function readDashboardNamespace(stateDir: string): DashboardNamespace {
  const attestationPath = join(stateDir, NAMESPACE_FILES.attestation);
  return {
    federation_peers: readJson(join(stateDir, NAMESPACE_FILES.peers), []),
    attestation_log: existsSync(attestationPath)
      ? readFileSync(attestationPath, 'utf8').split('\n').filter(Boolean).slice(-200)
      : [],
    role_manifests: readJson(join(stateDir, NAMESPACE_FILES.manifests), {}),
  };
}

function writeIfAbsent(path: string, content: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export function seedDashboardNamespace(stateDir: string, queenId: string): void {
  const now = Math.floor(Date.now() / 1000);
  writeIfAbsent(
    join(stateDir, NAMESPACE_FILES.peers),
    JSON.stringify(
      [
        { peer_id: 'queen-eu-west', endpoint: 'tcp:10.20.0.2:5645', status: 'synced', last_sync: now },
        {
          peer_id: 'queen-ap-south',
          endpoint: 'tcp:10.30.0.2:5645',
          status: 'inherit:' + queenId,
          last_sync: now,
        },
      ],
      null,
      2,
    ),
  );
  writeIfAbsent(
    join(stateDir, NAMESPACE_FILES.attestation),
    [
      `${now} ${queenId} image sha256 verified before boot`,
      `${now} ${queenId} ROOTSERVER ONLINE`,
      `${now} ${queenId} COHESIX_BOOT_OK`,
      `${now} ${queenId} Cohesix init complete`,
      '',
    ].join('\n'),
  );
  const manifests: Record<string, unknown> = {};
  for (const role of COHESIX_ROLES) {
    const agent = role.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    manifests[role] = {
      agent,
      namespace_root: `/srv/${agent}`,
      allow: role.includes('Queen')
        ? ['read:/srv', 'write:/srv']
        : ['read:/sim', `write:/srv/telemetry/${agent}`],
    };
  }
  writeIfAbsent(join(stateDir, NAMESPACE_FILES.manifests), JSON.stringify(manifests, null, 2));
}
