// The typed errors of the 9P library. Everything the codec and the client throw
// is a NinepError, so a caller (or a fuzz test) can tell "the peer broke the
// protocol" from "the server said no" from "it took too long".

/** Base of every error this library raises. */
export class NinepError extends Error {
  override name = 'NinepError';
}

/** What exactly was wrong with a frame; stable strings for tests and evidence. */
export type ProtocolFault =
  | 'short-frame'
  | 'bad-size'
  | 'frame-too-large'
  | 'truncated'
  | 'bad-string'
  | 'bad-count'
  | 'unknown-type'
  | 'trailing-bytes'
  | 'unexpected-reply'
  | 'unknown-tag'
  | 'bad-version'
  | 'bad-msize'
  | 'no-progress'
  | 'repeated-entry'
  | 'encode';

/** The peer sent (or we were asked to send) something that is not valid 9P. */
export class NinepProtocolError extends NinepError {
  override name = 'NinepProtocolError';
  constructor(
    readonly fault: ProtocolFault,
    message: string,
  ) {
    super(`9P protocol error (${fault}): ${message}`);
  }
}

/** The server answered with Rerror (9P2000) or Rlerror (9P2000.L). */
export class NinepRemoteError extends NinepError {
  override name = 'NinepRemoteError';
  constructor(
    /** the request that failed, e.g. "Twalk" */
    readonly request: string,
    /** Rerror's ename, or a description of Rlerror's errno */
    readonly ename: string,
    /** Rlerror's errno (9P2000.L only) */
    readonly errno?: number,
  ) {
    super(`${request} failed: ${ename}${errno !== undefined ? ` (errno ${errno})` : ''}`);
  }
}

/** A request got no reply within its bound, or was cancelled; Tflush was sent for it. */
export class NinepTimeoutError extends NinepError {
  override name = 'NinepTimeoutError';
}

/** A whole-file read went past the caller's byte cap (the server may legally serve an endless file). */
export class NinepLimitError extends NinepError {
  override name = 'NinepLimitError';
  constructor(
    /** the cap that was exceeded, in bytes */
    readonly limit: number,
    message: string,
  ) {
    super(message);
  }
}

/** The connection is gone (closed by the peer, failed, or closed by us). */
export class NinepConnectionError extends NinepError {
  override name = 'NinepConnectionError';
}

/** Misuse of the client API (e.g. an unknown fid, a walk element containing '/'). */
export class NinepUsageError extends NinepError {
  override name = 'NinepUsageError';
}
