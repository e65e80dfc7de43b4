// /proc/boot as a release streams it (cohsh-console.md): the lines every reference
// console prints, for a profile and the root-task manifest hash.
export function releaseProcBootLines(profile: string, manifestSha256: string): string[] {
  return [
    'Cohesix boot: root-task online',
    'manifest.schema=1.5',
    `manifest.profile=${profile}`,
    `manifest.sha256=${manifestSha256}`,
    'telemetry.ring_bytes_per_worker=1024',
    'telemetry.frame_schema=legacy-plaintext',
    'telemetry.cursor.retain_on_boot=false',
    'event_pump.fds=serial,timer,ipc,net-console,ninedoor',
  ];
}
