// libsodium (the raw Emscripten build) ships no typings. Its ESM entry is the module factory;
// sodium-open.ts declares the functions it calls on the module.
declare module 'libsodium' {
  export default function createLibsodium(overrides?: { getRandomValue?: () => number }): Promise<unknown>;
}
