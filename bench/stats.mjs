// The few statistics the benchmark reports.

export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** The middle value (the mean of the two middle ones for an even count); `values` is not reordered. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return mean(sorted.slice((sorted.length - 1) >> 1, (sorted.length >> 1) + 1));
}
