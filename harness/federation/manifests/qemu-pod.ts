// The contract's pod: Cohesix runs as a privileged container whose command is
// `qemu-system-x86_64 -m 2048 -kernel /assets/cohesix.efi -append COHROLE=<role>`.
// Checked on a container in Kubernetes shape (Terraform's kubernetes provider blocks are
// mapped to that shape first), whether the command is an argv list or `sh -c "..."`.
import type { Finding } from './finding.ts';
import { shellWords } from './shell-words.ts';
import { COHESIX_ROLES } from '../../../contract/roles.ts';

export const QEMU_BINARY = 'qemu-system-x86_64';
export const QEMU_MEMORY_MIB = 2048;
export const QEMU_KERNEL = '/assets/cohesix.efi';

export interface ContainerLike {
  name?: string;
  command?: unknown;
  args?: unknown;
  env?: Array<{ name?: string; value?: unknown }>;
  securityContext?: { privileged?: unknown };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The container's argv as the kubelet runs it: command then args, `sh -c` strings split into words. */
export function containerArgv(c: ContainerLike): string[] {
  const argv = [...strings(c.command), ...strings(c.args)];
  const shIdx = argv.findIndex((w, i) => /(^|\/)(ba)?sh$/.test(w) && argv[i + 1] === '-c');
  if (shIdx >= 0 && argv[shIdx + 2] !== undefined) return shellWords(argv[shIdx + 2]!);
  return argv;
}

/** Kubernetes expands $(VAR) in command and args from the container's literal env values. */
function expandEnv(word: string, c: ContainerLike): string {
  return word.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
    const e = c.env?.find((x) => x.name === name);
    return typeof e?.value === 'string' ? e.value : whole;
  });
}

function memoryMiB(v: string): number | undefined {
  const m = /^(\d+)([MG]?)$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * (m[2]?.toUpperCase() === 'G' ? 1024 : 1);
}

function optionValue(argv: string[], opt: string): string | undefined {
  const i = argv.indexOf(opt);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Findings for the QEMU container among `containers`; `path` is where the list lives in the file. */
export function checkQemuContainers(
  file: string,
  path: string,
  containers: readonly ContainerLike[],
): Finding[] {
  const at = containers.findIndex((c) =>
    containerArgv(c).some((w) => w === QEMU_BINARY || w.endsWith(`/${QEMU_BINARY}`)),
  );
  if (at < 0) {
    return [
      {
        file,
        path,
        rule: 'qemu-missing',
        message: `no container runs ${QEMU_BINARY} (expected the Cohesix QEMU container)`,
      },
    ];
  }
  const c = containers[at]!;
  const cpath = `${path}/${at}`;
  const argv = containerArgv(c).map((w) => expandEnv(w, c));
  const qemuArgs = argv.slice(argv.findIndex((w) => w === QEMU_BINARY || w.endsWith(`/${QEMU_BINARY}`)) + 1);
  const out: Finding[] = [];
  if (c.securityContext?.privileged !== true) {
    out.push({
      file,
      path: `${cpath}/securityContext/privileged`,
      rule: 'qemu-privileged',
      message: `the QEMU container must run privileged (securityContext.privileged: true); found ${JSON.stringify(c.securityContext?.privileged ?? null)}`,
    });
  }
  const mem = optionValue(qemuArgs, '-m');
  if (mem === undefined || memoryMiB(mem) !== QEMU_MEMORY_MIB) {
    out.push({
      file,
      path: cpath,
      rule: 'qemu-memory',
      message: `expected -m ${QEMU_MEMORY_MIB}; found ${mem === undefined ? 'no -m' : `-m ${mem}`}`,
    });
  }
  const kernel = optionValue(qemuArgs, '-kernel');
  if (kernel !== QEMU_KERNEL) {
    out.push({
      file,
      path: cpath,
      rule: 'qemu-kernel',
      message: `expected -kernel ${QEMU_KERNEL}; found ${kernel === undefined ? 'no -kernel' : `-kernel ${kernel}`}`,
    });
  }
  const append = optionValue(qemuArgs, '-append');
  const role = append
    ?.split(/\s+/)
    .find((t) => t.startsWith('COHROLE='))
    ?.slice('COHROLE='.length);
  if (role === undefined || !(COHESIX_ROLES as readonly string[]).includes(role)) {
    out.push({
      file,
      path: cpath,
      rule: 'qemu-append-role',
      message: `expected -append COHROLE=<role> with a role of the contract (${COHESIX_ROLES.join(', ')}); found ${append === undefined ? 'no -append' : `-append ${JSON.stringify(append)}`}`,
    });
  }
  return out;
}
