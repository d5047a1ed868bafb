// CLI: `tsx emulators/resend/main.ts --port 8025 [--host 127.0.0.1] [--rate-limit 2] [--quiet]`.
// Flags only: the project reads environment variables in src/env.ts and nowhere else.
import { parseArgs } from "node:util";
import { startResendEmulator } from "./server";
import { runMain, stopOnSignals } from "../shared/process";

const USAGE =
  "usage: tsx emulators/resend/main.ts [--port 8025] [--host 127.0.0.1] [--rate-limit N] [--quiet]";

function positiveInteger(flag: string, raw: string, allowZero: boolean): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    console.error(
      `resend emulator: --${flag} must be a ${allowZero ? "non-negative" : "positive"} integer\n${USAGE}`,
    );
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8025" },
      host: { type: "string", default: "127.0.0.1" },
      "rate-limit": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rateLimit = values["rate-limit"];
  const emulator = await startResendEmulator({
    port: positiveInteger("port", values.port, true),
    host: values.host,
    rateLimit:
      rateLimit === undefined ? null : { requestsPerSecond: positiveInteger("rate-limit", rateLimit, false) },
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`resend emulator: API and inbox on ${emulator.url}`);

  stopOnSignals("resend emulator", () => emulator.close());
}

runMain("resend emulator", main);
