import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildId, ensureBuild } from "../tests/support/build";
import { sleep } from "../tests/support/poll";

/**
 * The scenarios run the production build under `next start`. It is built once if missing, then copied to
 * a private directory: other people's `next build` in the same working tree rewrites `.next/` in place,
 * and a server reading a half-replaced build answers 500 to everything — which a fault test would report
 * as the app's failure.
 */
export default async function setup(project: TestProject) {
  const root = process.cwd();
  await ensureBuild(root);

  const dir = path.join(root, ".data", "faults", `app-${process.pid}`);
  for (let attempt = 1; ; attempt++) {
    const before = buildId(root);
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
    if (copied && before && before === buildId(root) && existsSync(path.join(dir, ".next", "BUILD_ID")))
      break;
    if (attempt >= 10) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error("faults: .next/ kept changing while being copied (a build is running?)");
    }
    // Pacing between copy attempts while someone else's build finishes.
    await sleep(5_000);
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
