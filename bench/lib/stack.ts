import type { OperatorLatency } from "../../tests/support/operator-parts";
import { redisDbFor } from "../../tests/support/ports";
import { LOAD_TEST_LIMITS } from "../../tests/support/fixtures";
import { type Stack, startStack } from "../../tests/support/stack";

export { ensureBuild } from "../../tests/support/build";

/**
 * A benchmark's stack, from the one stack starter (tests/support/stack.ts): the production build with its
 * worker(s) and the emulators on the development ports shifted by `offset`, a database of its own on the
 * shared server (`traverse_bench_<offset>`, recreated), and a Redis logical database of its own (emptied).
 */
export function startBenchStack(opts: {
  offset: number;
  instances?: number;
  workers?: number;
  env?: Record<string, string>;
  /** The operator emulators' latency (tests/support/operator-parts.ts); default off. */
  operatorLatency?: OperatorLatency;
}): Promise<Stack> {
  return startStack({
    name: `bench-${opts.offset}`,
    ports: { offset: opts.offset },
    host: "127.0.0.1",
    postgres: "shared",
    database: `traverse_bench_${opts.offset}`,
    reset: true,
    redis: "shared",
    redisDb: redisDbFor(opts.offset),
    instances: opts.instances,
    workers: opts.workers,
    operatorLatency: opts.operatorLatency,
    env: {
      LOG_LEVEL: "warn",
      ...LOAD_TEST_LIMITS,
      ...opts.env,
    },
  });
}

/** Each virtual traveller comes from its own address (the stack trusts one proxy hop). */
export const clientIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
