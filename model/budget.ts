/**
 * The wall-clock budget of one model, from reading its file to its last
 * verdict, and the way a run is interrupted (SIGINT/SIGTERM). Every phase
 * that can take long (front end, lock graph, compilation, engines) calls
 * `checkBudget` at a bounded interval; the phase that runs out throws
 * `BudgetExceeded`, and the checker turns it into an inconclusive verdict
 * that names the limit and the phase (never an internal error).
 *
 * Lives in model/ because the front end is the first phase that honours
 * it and dependencies point one way (checker → rules → model).
 */

export type BudgetStop =
  /** The model's `--timeout` ran out. */
  | { kind: 'timeout'; ms: number; phase: string }
  /** The run was interrupted (a signal); the report so far is kept. */
  | { kind: 'interrupted'; signal: string; phase: string };

export class BudgetExceeded extends Error {
  constructor(readonly stop: BudgetStop) {
    super(stop.kind === 'timeout' ? `time-out after ${stop.ms} ms in ${stop.phase}` : `interrupted by ${stop.signal} in ${stop.phase}`);
  }
}

export interface Budget {
  /** `performance.now()` value at which the model's time is up. */
  readonly deadline: number;
  /** The user's limit, ms, as reported. */
  readonly limitMs: number;
  /** Set when the run is interrupted; `reason` is the signal name. */
  readonly signal?: AbortSignal;
  /**
   * The clock the deadline is read on; `performance.now` unless a test
   * injects one (so that no test verdict depends on the machine's speed).
   */
  readonly now?: () => number;
}

export function makeBudget(limitMs: number, signal?: AbortSignal, start?: number, now?: () => number): Budget {
  const clock = now ?? (() => performance.now());
  return { deadline: (start ?? clock()) + limitMs, limitMs, ...(signal ? { signal } : {}), ...(now ? { now } : {}) };
}

/** The budget's clock, ms. */
export function budgetNow(b: Budget | undefined): number {
  return b?.now ? b.now() : performance.now();
}

/** Milliseconds left (never negative). */
export function remainingMs(b: Budget | undefined): number {
  return b ? Math.max(0, b.deadline - budgetNow(b)) : Infinity;
}

/** Why the budget is spent, or undefined while it is not. */
export function budgetStop(b: Budget | undefined, phase: string): BudgetStop | undefined {
  if (!b) return undefined;
  if (b.signal?.aborted) return { kind: 'interrupted', signal: String(b.signal.reason ?? 'SIGINT'), phase };
  if (budgetNow(b) >= b.deadline) return { kind: 'timeout', ms: b.limitMs, phase };
  return undefined;
}

/** Throws `BudgetExceeded` when the budget is spent. Cheap: call it in loops. */
export function checkBudget(b: Budget | undefined, phase: string): void {
  const stop = budgetStop(b, phase);
  if (stop) throw new BudgetExceeded(stop);
}
