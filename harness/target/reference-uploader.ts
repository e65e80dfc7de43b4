// The reference trace uploader's invoke endpoint, for `cohesix-qa reference uploader`
// (serve-uploader.ts): part of the target door. A run reaches it only as a process,
// through the URL it prints (harness/federation/bind.ts).
export { startInvokeServer } from '../../reference/federation/uploader/invoke-server.ts';
export type { AlertsMountConfig } from '../../reference/federation/uploader/mount.ts';
