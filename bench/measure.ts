/** Runs `fn` in growing batches until `seconds` have passed; answers calls per second. */
export function rate(fn: (i: number) => unknown, seconds = 1): number {
  for (let i = 0; i < 20_000; i++) fn(i); // warm-up: let the JIT settle before timing
  let calls = 0;
  let batch = 1_000;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < batch; i++) fn(calls + i);
    calls += batch;
    batch = Math.min(batch * 2, 1_000_000);
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

/** Median wall time of `runs` runs of `fn`, in milliseconds. */
export async function median(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export interface Case {
  name: string;
  unit: string;
  better: "higher" | "lower";
  run(): Promise<{ value: number; target?: number; note?: string }> | { value: number; target?: number; note?: string };
}
