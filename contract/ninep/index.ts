// The 9P wire library both sides share (contract/): codec, framer, typed errors,
// transports, the client and its file helpers. The checker's 9P checks
// (harness/ninep: conformance, hostile input, diod) and the reference's servers and
// 9P clients (Secure9P, the CUDA annex, the federation uploader) speak 9P through it.
export * from './codec.ts';
export * from './errors.ts';
export * from './client.ts';
export * from './fs.ts';
export * from './framer.ts';
export * from './transport.ts';
export * from './transcript.ts';
export * from './server-config.ts';
export { errnoName } from './errno.ts';
