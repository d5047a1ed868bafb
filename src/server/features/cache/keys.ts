/** Redis key names of the display cache; `cache.ts` owns how they are read and invalidated. */
export function routeKey(from: string, to: string): string {
  return `${from}-${to}`;
}

export function availabilityKey(globalVersion: number, sailingId: number): string {
  return `avail:${globalVersion}:${sailingId}`;
}
