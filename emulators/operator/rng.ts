// Deterministic randomness: the same seed gives the same latencies and the same pre-sold load, so a
// run can be repeated exactly. Identifiers (references, quote ids) use crypto instead: they must stay
// unique across resets and restarts, because Traverse stores them.

/** mulberry32: a small, fast, well-distributed 32-bit generator; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stable number in [0, 1) for (seed, text): FNV-1a, then one mulberry32 step to spread the bits. */
export function hashUnit(seed: number, text: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return seededRandom(hash)();
}
