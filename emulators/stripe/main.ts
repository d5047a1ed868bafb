// CLI: tsx emulators/stripe/main.ts --port 12111 --webhook-url http://localhost:3000/api/webhooks/stripe --webhook-secret whsec_dev
// Configuration comes only from flags: the project reads the environment in src/env.ts alone.
import { parseArgs } from "node:util";
import { startStripeEmulator } from "./server";
import { onParentGone } from "../shared/process";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "12111" },
    host: { type: "string", default: "127.0.0.1" },
    "public-url": { type: "string" },
    "webhook-url": { type: "string" },
    "webhook-secret": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}
if (!values["webhook-secret"]) {
  console.error("--webhook-secret is required (the same whsec_… the app verifies with)");
  process.exit(2);
}

const emulator = await startStripeEmulator({
  port,
  host: values.host,
  publicUrl: values["public-url"],
  webhookUrl: values["webhook-url"],
  webhookSecret: values["webhook-secret"],
  log: values.quiet ? undefined : (line) => console.log(`[stripe] ${line}`),
});
console.log(`stripe emulator listening on ${emulator.url}`);
if (values["webhook-url"]) console.log(`stripe emulator sends webhooks to ${values["webhook-url"]}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`stripe emulator stopping (${signal})`);
  await emulator.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
onParentGone(() => void shutdown("SIGTERM"));
