/**
 * Seeded draws for fault decisions. A draw depends only on the seed and a key naming what is
 * decided (the fault, a notification's place in its call, a request's number), never on time,
 * instance or call ids, so the same seed and the same bot flow inject the same faults, whichever
 * instance decides.
 */

/**
 * FNV-1a over the seed and the key's text, then a final avalanche: keys that differ in one
 * character (two successive notifications) start far apart.
 */
function stateOf(seed: number, key: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed >>> 0}|${key.join('|')}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a small, well-mixed 32-bit generator; plenty for picking faults. */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) for this seed and key. */
export function draw(seed: number, ...key: (string | number)[]): number {
  return mulberry32(stateOf(seed, key))();
}

/** True with probability `rate` (1: always, 0: never). */
export function chance(rate: number, seed: number, ...key: (string | number)[]): boolean {
  return rate >= 1 || (rate > 0 && draw(seed, 'chance', ...key) < rate);
}

/** A whole number in [min, max], for this seed and key. */
export function between(min: number, max: number, seed: number, ...key: (string | number)[]): number {
  return min + Math.floor(draw(seed, 'between', ...key) * (max - min + 1));
}
