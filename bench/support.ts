// What every benchmark case shares: its shape, and helpers that measure in the page the way
// a person experiences it (to the frame after the change is painted).

/** One figure a case reports. */
export interface BenchMetric {
  /** `ms`, `count`, `KB`... */
  readonly unit: string;
  /** What is measured, for the table and results.json. */
  readonly description: string;
  /** The target, reported beside the figure (never asserted): at most `max`, or at least `min`. */
  readonly target?: { readonly max?: number; readonly min?: number };
}

/**
 * A benchmark case: a module under `bench/cases/` whose default export is one of these.
 * `run()` executes in a fresh page (one per run) and returns one number per metric.
 */
export interface BenchCase {
  /** A short name for the table (the file name is the case's id). */
  readonly name: string;
  /** What the case does, with its fixed seed and size. */
  readonly description: string;
  readonly metrics: Readonly<Record<string, BenchMetric>>;
  /** Runs (fresh pages) when the command does not say. Default 7. */
  readonly runs?: number;
  run(): Promise<Record<string, number>>;
}

/** The page's answer, read by scripts/bench.ts. */
export type BenchOutcome =
  | {
      readonly status: 'done';
      readonly name: string;
      readonly description: string;
      readonly metrics: BenchCase['metrics'];
      readonly runs?: number;
      readonly values: Record<string, number>;
    }
  | { readonly status: 'error'; readonly message: string };

declare global {
  interface Window {
    /** Where bench/page.ts leaves a run's outcome for scripts/bench.ts. */
    __benchOutcome?: BenchOutcome;
  }
}

/** Resolves at the start of the next animation frame. */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/**
 * Resolves once what is in the DOM now has been painted: the next animation frame (its
 * callbacks run just before that frame's style, layout and paint), then a task, which the
 * browser runs only after that frame is painted. This is the double-frame technique
 * without the second frame's wait, which would add up to 16.7 ms to every figure.
 */
export async function afterPaint(): Promise<void> {
  await nextFrame();
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** Waits, frame by frame, until `condition()` holds; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/** Waits for an idle period (the browser has nothing left to do), up to `timeoutMs`. */
export function idle(timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 50);
  });
}

/** A fixed-size box to render into, so every run measures the same viewport. */
export function stage(width = 900, height = 700): HTMLElement {
  const box = document.createElement('div');
  box.style.cssText = `width:${width}px;height:${height}px;overflow:hidden;`;
  document.body.append(box);
  return box;
}
