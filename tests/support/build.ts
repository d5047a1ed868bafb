import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { childEnv } from "@/env";
import { pollUntil } from "./poll";

/** The id of the production build in `root/.next`, or null when there is none (or it is half written). */
export function buildId(root = process.cwd()): string | null {
  try {
    return readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8");
  } catch {
    return null;
  }
}

/**
 * Makes sure a production build exists (stacks in production mode run `npm start` on it): runs
 * `next build` when there is none. Another `next build` already running in the same tree is waited for
 * (bounded) rather than raced, since two builds rewriting `.next/` break each other.
 */
export async function ensureBuild(root = process.cwd()): Promise<void> {
  if (buildId(root)) return;
  console.log("no production build yet: running `next build` …");
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const p = spawn("npx", ["next", "build"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: childEnv({ NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }),
    });
    let out = "";
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
    };
    p.stdout?.on("data", keep);
    p.stderr?.on("data", keep);
    p.once("error", reject);
    p.once("exit", (c) => resolve({ code: c, output: out }));
  });
  if (code === 0) return;
  if (/Another next build process is already running/.test(output)) {
    console.log("another `next build` is running in this tree; waiting for it to finish …");
    await pollUntil(
      () => buildId(root),
      (id) => id !== null,
      { what: "the other `next build` to finish", timeoutMs: 15 * 60_000, intervalMs: 5_000 },
    );
    return;
  }
  throw new Error(`next build failed (exit ${code}):\n${output.slice(-3000)}`);
}
