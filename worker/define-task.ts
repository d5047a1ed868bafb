import type { JobHelpers, Task } from "graphile-worker";
import type Stripe from "stripe";
import type { z } from "zod";
import type { Db } from "@/server/db/client";
import type { Cache } from "@/server/features/cache/cache";
import { jobPayloads, type TaskName } from "@/server/lib/jobs";
import { scrubbed } from "@/server/lib/describe-error";
import { log } from "@/server/lib/log";

/** What a task needs from its process; handed in so tests can run tasks against their own database. */
export interface TaskDeps {
  db: Db;
  cache: Cache;
  /** Lazy, so a worker without Stripe configured can still run email and sweep jobs. */
  stripe: () => Stripe;
}

export interface TaskContext extends TaskDeps {
  helpers: JobHelpers;
}

export interface TaskDefinition {
  name: TaskName;
  build(deps: TaskDeps): Task;
}

/**
 * Declares a task whose payload is parsed with the shared schema before anything else runs (old jobs
 * outlive code, DESIGN §7.6). A payload that cannot be parsed will never succeed, so it is logged and
 * dropped instead of being retried 25 times.
 *
 * Whatever the task throws is rethrown as a `ScrubbedError`: graphile-worker stores the thrown message in
 * `jobs.last_error` and logs it with its stack, and a database error's message can quote the names,
 * emails and passport numbers it was writing. Any throw still means "retry", so retries are unchanged.
 */
export function defineTask<T extends TaskName>(
  name: T,
  run: (payload: z.output<(typeof jobPayloads)[T]>, ctx: TaskContext) => Promise<void>,
): TaskDefinition {
  const schema = jobPayloads[name] as unknown as z.ZodType<z.output<(typeof jobPayloads)[T]>>;
  return {
    name,
    build: (deps) => async (raw, helpers) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        log.error("job payload rejected", {
          task: name,
          jobId: helpers.job.id,
          issues: parsed.error.issues.length,
        });
        return;
      }
      try {
        await run(parsed.data, { ...deps, helpers });
      } catch (e) {
        throw scrubbed(e);
      }
    },
  };
}
