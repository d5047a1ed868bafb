import { cancelSailing } from "@/server/features/schedule/cancel-sailing";
import {
  cancelSailingInput,
  createSailingInput,
  listSailingsInput,
  setCapacityInput,
  timetableInput,
  updateSailingInput,
  weekViewInput,
} from "@/server/features/schedule/inputs";
import {
  createSailing,
  generateTimetable,
  setCapacity,
  updateSailing,
} from "@/server/features/schedule/sailing-changes";
import {
  listRoutes,
  listSailings,
  listVessels,
  previewTimetable,
  weekView,
} from "@/server/features/schedule/sailing-rows";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.schedule — routes, vessels, sailings and their capacities. */
export const adminScheduleRouter = createTRPCRouter({
  routes: adminProcedure.query(({ ctx }) => listRoutes(ctx.svc)),
  vessels: adminProcedure.query(({ ctx }) => listVessels(ctx.svc)),
  list: adminProcedure.input(listSailingsInput).query(({ ctx, input }) => listSailings(ctx.svc, input)),
  weekView: adminProcedure.input(weekViewInput).query(({ ctx, input }) => weekView(ctx.svc, input)),
  previewTimetable: adminProcedure
    .input(timetableInput)
    .query(({ ctx, input }) => previewTimetable(ctx.svc, input)),
  generateTimetable: adminProcedure
    .input(timetableInput)
    .mutation(({ ctx, input }) => generateTimetable(ctx.svc, ctx.actor, input)),
  create: adminProcedure
    .input(createSailingInput)
    .mutation(({ ctx, input }) => createSailing(ctx.svc, ctx.actor, input)),
  update: adminProcedure
    .input(updateSailingInput)
    .mutation(({ ctx, input }) => updateSailing(ctx.svc, ctx.actor, input)),
  setCapacity: adminProcedure
    .input(setCapacityInput)
    .mutation(({ ctx, input }) => setCapacity(ctx.svc, ctx.actor, input)),
  cancelSailing: adminProcedure
    .input(cancelSailingInput)
    .mutation(({ ctx, input }) => cancelSailing(ctx.svc, ctx.actor, input)),
});
