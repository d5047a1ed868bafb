import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { childEnv } from "@/env";

/**
 * The scenarios run the production build under `next start`. It is built once if missing, then copied to
 * a private directory: other people's `next build` in the same working tree rewrites `.next/` in place,
 * and a server reading a half-replaced build answers 500 to everything — which a fault test would report
 * as the app's failure.
 */
export default function setup(project: TestProject) {
  const root = process.cwd();
  const buildId = () => {
    try {
      return readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8");
    } catch {
      return null;
    }
  };
  if (!buildId()) {
    console.log("faults: no production build yet, running `next build` …");
    const r = spawnSync("npx", ["next", "build"], {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      env: childEnv({ NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }),
    });
    const output = `${r.stdout}${r.stderr}`;
    if (r.status !== 0 && /Another next build process is already running/.test(output)) {
      // Someone else's build in the same tree: wait for it (bounded) rather than fail or race it.
      console.log("faults: another `next build` is running; waiting for it to finish …");
      for (let waited = 0; !buildId() && waited < 900; waited += 5) spawnSync("sleep", ["5"]);
      if (!buildId()) throw new Error("faults: the other `next build` did not finish within 15 minutes");
    } else if (r.status !== 0) {
      throw new Error(`next build failed (exit ${r.status}):\n${output.slice(-3000)}`);
    }
  }

  const dir = path.join(root, ".data", "faults", `app-${process.pid}`);
  for (let attempt = 1; ; attempt++) {
    const before = buildId();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let copied = true;
    try {
      cpSync(path.join(root, ".next"), path.join(dir, ".next"), {
        recursive: true,
        filter: (src) => !/[/\\]\.next[/\\](cache|dev)([/\\]|$)/.test(src),
      });
    } catch {
      copied = false; // a file vanished under us: a build is rewriting .next/
    }
    if (copied && before && before === buildId() && existsSync(path.join(dir, ".next", "BUILD_ID"))) break;
    if (attempt >= 10) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error("faults: .next/ kept changing while being copied (a build is running?)");
    }
    spawnSync("sleep", ["5"]);
  }
  for (const f of ["next.config.ts", "package.json", "tsconfig.json"])
    cpSync(path.join(root, f), path.join(dir, f));
  for (const d of ["node_modules", "src", "messages"]) symlinkSync(path.join(root, d), path.join(dir, d));
  project.provide("faultsAppDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    faultsAppDir: string;
  }
}
