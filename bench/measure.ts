const WARM_UP_MS = 100;

/** Wall time of one run of `fn`, in milliseconds: its first, when nothing it runs has been compiled yet. */
export async function cold(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

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

/**
 * Median wall time of `runs` runs of `fn`, in milliseconds, after a warm-up of at least one run
 * and 100 ms (tinybench's default warm-up time): a JIT compiles a hot path only after thousands
 * of calls, and the figure is what a run costs once it has. What a first, cold run costs is
 * `cold`'s to say.
 */
export async function median(fn: () => unknown, runs = 5): Promise<number> {
  await warmUp(fn);
  return middle(await timed(fn, runs));
}

/** median's warm-up: at least one run and 100 ms. */
export async function warmUp(fn: () => unknown): Promise<void> {
  const warm = performance.now();
  do await fn();
  while (performance.now() - warm < WARM_UP_MS);
}

/** Wall times of `runs` runs of `fn`, in milliseconds. */
export async function timed(fn: () => unknown, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

/** The median of some times. */
export function middle(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface Case {
  name: string;
  unit: string;
  better: "higher" | "lower";
  run(): Promise<{ value: number; target?: number; note?: string }> | { value: number; target?: number; note?: string };
}
