// Linux errno numbers as 9P2000.L's Rlerror carries them, named for error messages.
const NAMES: Record<number, string> = {
  1: 'EPERM operation not permitted',
  2: 'ENOENT no such file or directory',
  5: 'EIO input/output error',
  9: 'EBADF bad file descriptor',
  12: 'ENOMEM out of memory',
  13: 'EACCES permission denied',
  17: 'EEXIST file exists',
  20: 'ENOTDIR not a directory',
  21: 'EISDIR is a directory',
  22: 'EINVAL invalid argument',
  28: 'ENOSPC no space left on device',
  30: 'EROFS read-only file system',
  36: 'ENAMETOOLONG file name too long',
  39: 'ENOTEMPTY directory not empty',
  71: 'EPROTO protocol error',
  95: 'EOPNOTSUPP operation not supported',
};

export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno ${errno}`;
}

export const ENOENT = 2;
export const EACCES = 13;
export const EPERM = 1;
