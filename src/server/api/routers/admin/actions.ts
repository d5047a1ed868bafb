import type { z } from "zod";
import type { Actor } from "@/server/features/audit/audit";
import type { Services } from "@/server/services";
import { adminProcedure } from "../../trpc";

/**
 * An admin change: the input parsed with the feature's own schema, then `fn(svc, actor, input)`, the
 * signed-in admin being the actor its audit entry names.
 */
export function adminAction<S extends z.ZodType, R>(
  schema: S,
  fn: (svc: Services, actor: Actor, input: z.output<S>) => Promise<R>,
) {
  return adminProcedure
    .input(schema)
    .mutation(({ ctx, input }) => fn(ctx.svc, ctx.actor, input as z.output<S>));
}
