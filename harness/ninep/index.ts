// The 9P library: codec, client, transports and file helpers. Everything that
// speaks 9P in this project (Secure9P suite, CUDA annex, trace readers,
// reference servers) imports from here.
export * from './codec.ts';
export * from './errors.ts';
export * from './client.ts';
export * from './fs.ts';
export * from './framer.ts';
export * from './transport.ts';
export * from './transcript.ts';
export { errnoName } from './errno.ts';
