import { createTRPCRouter, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** Does nothing: the framework floor that benchmarks compare real procedures against. */
  ping: publicProcedure.query(() => ({ ok: true as const })),
});
