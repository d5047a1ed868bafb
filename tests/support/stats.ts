/**
 * The one percentile and summary helper of the benchmarks and fault scenarios. Nearest-rank percentiles
 * (no interpolation): every figure reported is a latency that was really measured.
 */

/** The `p`-th percentile (0–100) by nearest rank; null when there is no value. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** min / median / max of the finite numbers among `values` (others left out); null when there is none. */
export function spread(values: (number | null | undefined)[]): Spread | null {
  const v = values
    .filter((x): x is number => typeof x === "number" && Number.isFinite(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
  return { min: v[0] as number, median, max: v[v.length - 1] as number };
}

/** How many times each value occurs: `{ delivered: 9, failed: 1 }`. */
export function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
