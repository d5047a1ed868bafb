import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
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

/** What the build is made from: a newer file here means `.next` was built from older code. */
const BUILD_INPUTS = ["src", "next.config.ts", "package-lock.json", "tsconfig.json"];

/**
 * A build input (`BUILD_INPUTS`) changed after the build in `root/.next`, so that a benchmark never
 * measures code older than the tree it reports (it records the tree's commit); null when the build is
 * current or missing.
 */
export function staleBuildInput(root = process.cwd()): string | null {
  let built: number;
  try {
    built = statSync(path.join(root, ".next", "BUILD_ID")).mtimeMs;
  } catch {
    return null;
  }
  const newer = (rel: string): string | null => {
    const at = path.join(root, rel);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(at);
    } catch {
      return null;
    }
    if (!st.isDirectory()) return st.mtimeMs > built ? rel : null;
    for (const name of readdirSync(at)) {
      const found = newer(path.join(rel, name));
      if (found) return found;
    }
    return null;
  };
  for (const input of BUILD_INPUTS) {
    const found = newer(input);
    if (found) return found;
  }
  return null;
}

/**
 * Makes sure a current production build exists (stacks in production mode run `npm start` on it): runs
 * `next build` when there is none, or when a build input changed after it (`staleBuildInput`). Another
 * `next build` already running in the same tree is waited for (bounded) rather than raced, since two
 * builds rewriting `.next/` break each other.
 */
export async function ensureBuild(root = process.cwd()): Promise<void> {
  const stale = staleBuildInput(root);
  if (buildId(root) && !stale) return;
  console.log(
    stale
      ? `${stale} changed after the production build: running \`next build\` …`
      : "no production build yet: running `next build` …",
  );
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
