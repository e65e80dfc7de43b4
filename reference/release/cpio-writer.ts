// A minimal CPIO "newc" writer for the reference bundle's
// image/cohesix-system.cpio: directories and regular files, as `cpio -o -H
// newc` lays them out (header, NUL-terminated name and data each padded to 4
// bytes, a TRAILER!!! entry, the whole padded to 512-byte blocks). The
// project's tests check its output with the system cpio.

export interface CpioInput {
  /** archived path, e.g. cohesix/bin/root-task */
  path: string;
  /** file content; absent for a directory */
  data?: Buffer;
  /** permission bits (default 0644) */
  perm?: number;
}

const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

function header(ino: number, mode: number, nlink: number, size: number, name: string): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
  const fields = [ino, mode, 0, 0, nlink, 1_700_000_000, size, 0, 0, 0, 0, nameBytes.length, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`, 'latin1');
  return Buffer.concat([head, nameBytes, pad4(head.length + nameBytes.length)]);
}

/** the archive; parent directories are written before their files, as `find | cpio` would */
export function writeNewc(inputs: CpioInput[]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  let ino = 1;
  const dir = (path: string): void => {
    if (!path || dirs.has(path)) return;
    dir(path.split('/').slice(0, -1).join('/'));
    dirs.add(path);
    parts.push(header(ino++, 0o040755, 2, 0, path));
  };
  for (const i of inputs) {
    if (i.data === undefined) {
      dir(i.path);
      continue;
    }
    dir(i.path.split('/').slice(0, -1).join('/'));
    parts.push(
      header(ino++, 0o100000 | (i.perm ?? 0o644), 1, i.data.length, i.path),
      i.data,
      pad4(i.data.length),
    );
  }
  parts.push(header(0, 0, 1, 0, 'TRAILER!!!'));
  const body = Buffer.concat(parts);
  return Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
