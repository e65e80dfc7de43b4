// The release serial-log milestones, in order, and the platform profiles
// that budget the boot to the console prompt. Budgets are per profile, never
// hard-wired: TCG on a 2-core x86 host takes about a second, reference
// hardware 200 ms.
import { DEFAULT_FAULT_PATTERNS } from '../boot/faults.ts';

export interface Milestone {
  name: string;
  pattern: string;
}

export const RELEASE_MILESTONES: Milestone[] = [
  { name: 'elfloader', pattern: 'ELF-loader started on CPU' },
  { name: 'kernel_entry', pattern: 'Jumping to kernel-image entry point\\.\\.\\.' },
  { name: 'kernel_bootstrap', pattern: 'Bootstrapping kernel' },
  { name: 'userland', pattern: 'Booting all finished, dropped to user space' },
  { name: 'root_task', pattern: 'Cohesix boot: root-task online' },
  { name: 'net_console', pattern: '\\[net-console\\] listening on' },
  { name: 'console_ready', pattern: 'Cohesix console ready' },
];

export const RELEASE_BOOT_STAGE = 'console_ready';

export const PLATFORM_PROFILES = {
  'qemu-tcg': { budgetMs: 3000, note: 'QEMU TCG on a small x86 host: about a second upstream, 3 s budget' },
  'qemu-kvm': { budgetMs: 1000, note: 'QEMU with KVM/HVF on an aarch64 host' },
  'reference-hardware': { budgetMs: 200, note: 'the release budget on reference hardware' },
} as const;

export type PlatformProfile = keyof typeof PLATFORM_PROFILES;

/** release fault lines: the seL4 kernel's own, then the contract's list */
export const RELEASE_FAULT_PATTERNS: RegExp[] = [
  /KERNEL DATA ABORT!/,
  /halting\.\.\./,
  ...DEFAULT_FAULT_PATTERNS,
];
