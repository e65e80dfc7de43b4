// 9P conformance of the server the secure9p resources name (the reference's
// plain listener by default, or any 9P server given in config). Checklists:
// QEMU virtio-9p qtest, diod's tflush test, the Rust `ninep` server cases.
import { describe, test } from '../../harness/fixtures.ts';

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
