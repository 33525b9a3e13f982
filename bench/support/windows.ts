/** The largest number of events inside any window of `windowLen` (half-open [t, t + windowLen)), wherever it starts. */
export function maxInAnyWindow(times: number[], windowLen: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowLen) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
