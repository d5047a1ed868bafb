import { syncOperatorChanges } from "@/server/features/operators/change-sync";
import { defineTask } from "../define-task";

/** Cron, every minute: each connected operator's change feed, from its stored cursor. */
export const syncOperatorChangesTask = defineTask("sync_operator_changes", async (_payload, svc) => {
  const results = await syncOperatorChanges(svc);
  const changes = results.reduce((n, r) => n + r.changes, 0);
  if (changes > 0) svc.log.info("operator changes applied", { changes });
});
