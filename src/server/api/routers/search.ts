import { calendarInput, searchSailingsInput } from "@/server/features/search/input";
import { fareCalendar } from "@/server/features/search/calendar";
import { listPorts } from "@/server/features/search/ports";
import { sailingInput, sailingQuote } from "@/server/features/search/sailing";
import { searchSailings } from "@/server/features/search/sailings";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const searchRouter = createTRPCRouter({
  ports: publicProcedure.query(({ ctx }) => listPorts(ctx.svc)),
  sailings: publicProcedure
    .input(searchSailingsInput)
    .query(({ ctx, input }) => searchSailings(ctx.svc, input)),
  /** One sailing by id, priced for a party (booking links carry only ids). */
  sailing: publicProcedure.input(sailingInput).query(({ ctx, input }) => sailingQuote(ctx.svc, input)),
  calendar: publicProcedure.input(calendarInput).query(({ ctx, input }) => fareCalendar(ctx.svc, input)),
});
