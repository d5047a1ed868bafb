import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type FaultStack, startFaultStack } from "./stack";

/**
 * One line per scenario step on the console, and the same as JSON lines in `.data/faults/results.jsonl`,
 * so the figures for docs/reliability.md come from a real run.
 */
export function record(scenario: string, step: string, figures: Record<string, unknown>): void {
  const line = { at: new Date().toISOString(), scenario, step, ...figures };
  console.log(`[faults] ${scenario} · ${step}: ${JSON.stringify(figures)}`);
  const dir = path.join(process.cwd(), ".data", "faults");
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, "results.jsonl"), `${JSON.stringify(line)}\n`);
}

export function timer(): () => number {
  const t0 = Date.now();
  return () => Date.now() - t0;
}

/**
 * Starts the scenario's own stack before its tests (recording how long that took) and stops it after
 * them; the returned function gives the running stack.
 */
export function scenarioStack(scenario: string): () => FaultStack {
  let stack: FaultStack | undefined;
  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(scenario);
    record(scenario, "stack up", { ms: t() });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error(`${scenario}: the stack is not up`);
    return stack;
  };
}
