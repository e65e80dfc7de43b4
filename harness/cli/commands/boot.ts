// `cohesix-qa boot --image <elf> [--qemu <binary>] [--marker <regex>]`: cold-boot
// any image N times and print its timeline (options in harness/boot/cli.ts).
import type { Command } from 'commander';
import { registerBootCommand } from '../../boot/cli.ts';

export function registerBoot(program: Command): void {
  registerBootCommand(program, (code) => {
    process.exitCode = code;
  });
}
