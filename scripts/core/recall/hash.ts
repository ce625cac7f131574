/** Small pure hashes shared by the build and the recall store (no Node modules: the site's search bundles this). */

/** FNV-1a 32-bit hash: cheap, stable shard assignment. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
