// Hostile input: the server answers with an error or closes that connection,
// and keeps serving others (a bystander connection and a new one).
import { describe, test } from '../../harness/fixtures.ts';

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
