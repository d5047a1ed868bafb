import type { TaskList } from "graphile-worker";
import type { TaskDefinition, TaskDeps } from "./define-task";
import { noop } from "./tasks/noop";

/** Every task the worker runs; names are those of `src/server/lib/jobs.ts`. */
const definitions: TaskDefinition[] = [noop];

export function buildTaskList(deps: TaskDeps): TaskList {
  return Object.fromEntries(definitions.map((d) => [d.name, d.build(deps)]));
}

/** graphile-worker crontab: sweeps and reminders. */
export const crontab = ``;
