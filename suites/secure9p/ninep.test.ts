// 9P conformance and hostile input, against the 9P server the secure9p
// resources name (the reference's plain listener by default, or any server
// given in config).
import { describe, test } from '../../harness/fixtures.ts';

// 9P conformance of the server the secure9p resources name (the reference's
// plain listener by default, or any 9P server given in config). Checklists:
// QEMU virtio-9p qtest, diod's tflush test, the Rust `ninep` server cases.

describe('9P conformance', () => {
  test('Tattach before Tversion is refused', ({ ninepChecks }) => ninepChecks.run('attachBeforeVersion'));
  test('an unknown version is answered with "unknown"', ({ ninepChecks }) =>
    ninepChecks.run('unknownVersion'));
  test('a walk of 16 names succeeds', ({ ninepChecks }) => ninepChecks.run('walkOf16'));
  test('a walk of 17 names is refused', ({ ninepChecks }) => ninepChecks.run('walkOf17Refused'));
  test("a name containing '/' is refused", ({ ninepChecks }) => ninepChecks.run('slashInNameRefused'));
  test("'..' at the root is the root", ({ ninepChecks }) => ninepChecks.run('dotdotAtRoot'));
  test('a partial walk returns the qids walked and leaves newfid unused', ({ ninepChecks }) =>
    ninepChecks.run('partialWalk'));
  test('Tflush of a request in flight is answered with Rflush, after any reply', ({ ninepChecks }) =>
    ninepChecks.run('flushSuccess'));
  test('Tflush of a tag not in flight is answered with Rflush', ({ ninepChecks }) =>
    ninepChecks.run('flushIgnored'));
  test('100 pipelined requests and one flush are all answered', ({ ninepChecks }) =>
    ninepChecks.run('pipelinedWithOneFlush'));
  test('a directory read split over many small reads returns each entry once', ({ ninepChecks }) =>
    ninepChecks.run('readdirSplit'));
  test('an unknown fid is refused', ({ ninepChecks }) => ninepChecks.run('unknownFid'));
  test('opening an open fid is refused', ({ ninepChecks }) => ninepChecks.run('openOfOpenFid'));
  test('a second clunk of a fid is refused', ({ ninepChecks }) => ninepChecks.run('doubleClunk'));
  test('writing to a directory is refused', ({ ninepChecks }) => ninepChecks.run('writeToDirectory'));
  test("creating '.' or '..' is refused", ({ ninepChecks }) => ninepChecks.run('createDotNames'));
});

// Hostile input: the server answers with an error or closes that connection,
// and keeps serving others (a bystander connection and a new one).

describe('9P hostile input', () => {
  test('a frame shorter than its header', ({ ninepChecks }) => ninepChecks.run('shortFrame'));
  test('a frame with a header and no body', ({ ninepChecks }) => ninepChecks.run('headerOnly'));
  test('an oversized frame', ({ ninepChecks }) => ninepChecks.run('oversizedFrame'));
  test('a size smaller than the bytes sent', ({ ninepChecks }) => ninepChecks.run('sizeBelowBytesSent'));
  test('a size larger than the bytes sent', ({ ninepChecks }) => ninepChecks.run('sizeAboveBytesSent'));
  test('a string running past the end of the frame', ({ ninepChecks }) => ninepChecks.run('stringPastEnd'));
  test('an unknown message type', ({ ninepChecks }) => ninepChecks.run('unknownType'));
  test('an R-message sent as a request', ({ ninepChecks }) => ninepChecks.run('replyAsRequest'));
  test('a tag reused while in flight', ({ ninepChecks }) => ninepChecks.run('tagReuseInFlight'));
  test('a walk of 17 names', ({ ninepChecks }) => ninepChecks.run('walkOf17'));
  test('bad fids', ({ ninepChecks }) => ninepChecks.run('badFids'));
});
