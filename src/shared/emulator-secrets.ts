/**
 * The secrets the local stand-ins in `emulators/` are started with. They are public (they sit in this
 * repository), so production refuses any of them: a Stripe or Resend key that is an emulator's means the
 * app would talk to a stand-in, or to nothing, while taking real bookings. Every one carries the marker
 * `emulator`, so a stack that invents a new one (faults, benchmarks) stays recognisable without editing
 * this list.
 */
export const EMULATOR_MARKER = "emulator";

export const EMULATOR_SECRETS = {
  /** `npm run dev` and the e2e/benchmark stacks (tests/support/stack.ts). */
  local: {
    upstashToken: "emulator-dev-upstash-token",
    stripeKey: "sk_test_emulator",
    webhookSecret: "whsec_traverse_dev_emulator_secret",
    resendKey: "re_emulator",
  },
  /** The fault-injection stacks (faults/lib/stack.ts). */
  faults: {
    upstashToken: "emulator-faults-upstash-token",
    stripeKey: "sk_test_emulator_faults",
    webhookSecret: "whsec_traverse_faults_emulator_secret",
    resendKey: "re_emulator_faults",
  },
  /** Values used before the marker existed; someone's old `.env` may still carry them. */
  retired: {
    upstashToken: "dev-upstash-token",
    faultsUpstashToken: "faults-upstash-token",
    faultsStripeKey: "sk_test_faults",
    faultsWebhookSecret: "whsec_traverse_faults_secret",
    faultsResendKey: "re_faults",
  },
} as const;

/** The Upstash emulator's default address (LOCAL_PORTS.upstash in tests/support/ports.ts). */
export const EMULATOR_UPSTASH_PORT = 8079;

const known: ReadonlySet<string> = new Set(
  Object.values(EMULATOR_SECRETS).flatMap((s) => Object.values(s) as string[]),
);

export function isEmulatorSecret(value: string): boolean {
  return known.has(value) || value.toLowerCase().includes(EMULATOR_MARKER);
}
