import type { JobHelpers, Task } from "graphile-worker";
import type { z } from "zod";
import { jobPayloads, type TaskName } from "@/server/lib/jobs";
import { scrubbed } from "@/server/lib/describe-error";
import { withLogContext } from "@/server/lib/log";
import { metrics } from "@/server/lib/metrics";
import { contextFromTraceparent, inSpan, SpanKind } from "@/server/lib/tracing";
import type { Services } from "@/server/services";

export interface TaskDefinition {
  name: TaskName;
  /** The graphile-worker task, running on the worker's Services (tests: their own). */
  build(svc: Services): Task;
}

/**
 * Declares a task whose payload is parsed with the shared schema before anything else runs: jobs queued
 * by an older version of the code can outlive it. A payload that cannot be parsed will never succeed, so
 * it is logged and dropped instead of being retried 25 times. Tasks call features only.
 *
 * Whatever the task throws is rethrown as a `ScrubbedError`: graphile-worker stores the thrown message in
 * `jobs.last_error` and logs it with its stack, and a database error's message can quote the names,
 * emails and passport numbers it was writing. Any throw still means "retry", so retries are unchanged.
 *
 * Every job runs in a span that continues the trace of whoever queued it (the payload's `traceparent`,
 * added by `enqueue`), with its id and task on every log line, and its duration observed in
 * `traverse_job_duration_seconds` (outcome ok, error or rejected).
 */
export function defineTask<T extends TaskName>(
  name: T,
  run: (payload: z.output<(typeof jobPayloads)[T]>, svc: Services, helpers: JobHelpers) => Promise<void>,
): TaskDefinition {
  const schema = jobPayloads[name] as unknown as z.ZodType<z.output<(typeof jobPayloads)[T]>>;

  async function runParsed(raw: unknown, svc: Services, helpers: JobHelpers): Promise<"ok" | "rejected"> {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      svc.log.error("job payload rejected", {
        task: name,
        jobId: helpers.job.id,
        issues: parsed.error.issues.length,
      });
      return "rejected";
    }
    try {
      await run(parsed.data, svc, helpers);
      return "ok";
    } catch (e) {
      throw scrubbed(e);
    }
  }

  return {
    name,
    build: (svc) => (raw, helpers) => {
      const jobId = String(helpers.job.id);
      const end = metrics().jobDuration.startTimer({ task: name });
      const parent = contextFromTraceparent((raw as { traceparent?: unknown } | null)?.traceparent);
      const attributes = { "job.task": name, "job.id": jobId, "job.attempt": helpers.job.attempts };
      return withLogContext({ jobId, task: name }, () =>
        inSpan(name, { kind: SpanKind.CONSUMER, parent, attributes }, async () => {
          try {
            end({ outcome: await runParsed(raw, svc, helpers) });
          } catch (e) {
            end({ outcome: "error" });
            throw e;
          }
        }),
      );
    },
  };
}
