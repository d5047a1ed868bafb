import { inject } from "vitest";
import { EMULATOR_SECRETS } from "@/shared/emulator-secrets";
import { LOAD_TEST_LIMITS } from "../../tests/support/fixtures";
import { type Stack, startStack } from "../../tests/support/stack";

/**
 * A whole Traverse stack for one fault scenario, started by the one stack starter (tests/support/stack.ts)
 * with every part of its own so that it can be killed and started again: a private PostgreSQL cluster, a
 * private redis-server, the emulators, the production build under `next start` (a private copy made by
 * faults/global-setup.ts) and the worker. Everything listens on 127.0.0.1, on free ports.
 */
export type FaultStack = Stack;

export const { stripeKey: STRIPE_KEY } = EMULATOR_SECRETS.faults;
const TICKET_KEY = "faults-ticket-signing-key-0123456789abcdef0123456789abcdef";

export function startFaultStack(
  name: string,
  opts: { env?: Record<string, string>; days?: number; keep?: boolean } = {},
): Promise<FaultStack> {
  return startStack({
    name: `faults-${name}`,
    buildDir: inject("faultsAppDir"),
    host: "127.0.0.1",
    postgres: "own",
    redis: "own",
    secrets: "faults",
    ticketKey: TICKET_KEY,
    // The scenarios measure our retries, not Resend's rate window.
    resendRateLimit: null,
    seed: { days: opts.days ?? 14, devAdmin: false },
    startTimeoutMs: 60_000,
    keep: opts.keep,
    env: {
      LOG_LEVEL: "warn",
      ...LOAD_TEST_LIMITS,
      ...opts.env,
    },
  });
}
