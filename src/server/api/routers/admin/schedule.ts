import { cancelSailing } from "@/server/features/schedule/cancel-sailing";
import {
  cancelSailingInput,
  createSailing,
  createSailingInput,
  generateTimetable,
  listRoutes,
  listSailings,
  listSailingsInput,
  listVessels,
  previewTimetable,
  setCapacity,
  setCapacityInput,
  timetableInput,
  updateSailing,
  updateSailingInput,
  weekView,
  weekViewInput,
} from "@/server/features/schedule/admin-sailings";
import { adminProcedure, createTRPCRouter } from "../../trpc";

/** admin.schedule — routes, vessels, sailings and their capacities. */
export const adminScheduleRouter = createTRPCRouter({
  routes: adminProcedure.query(({ ctx }) => listRoutes(ctx.db)),
  vessels: adminProcedure.query(({ ctx }) => listVessels(ctx.db)),
  list: adminProcedure.input(listSailingsInput).query(({ ctx, input }) => listSailings(ctx.db, input)),
  weekView: adminProcedure.input(weekViewInput).query(({ ctx, input }) => weekView(ctx.db, input)),
  previewTimetable: adminProcedure
    .input(timetableInput)
    .query(({ ctx, input }) => previewTimetable(ctx.db, input)),
  generateTimetable: adminProcedure
    .input(timetableInput)
    .mutation(({ ctx, input }) => generateTimetable(ctx, { userId: ctx.admin.userId }, input)),
  create: adminProcedure
    .input(createSailingInput)
    .mutation(({ ctx, input }) => createSailing(ctx, { userId: ctx.admin.userId }, input)),
  update: adminProcedure
    .input(updateSailingInput)
    .mutation(({ ctx, input }) => updateSailing(ctx, { userId: ctx.admin.userId }, input)),
  setCapacity: adminProcedure
    .input(setCapacityInput)
    .mutation(({ ctx, input }) => setCapacity(ctx, { userId: ctx.admin.userId }, input)),
  cancelSailing: adminProcedure
    .input(cancelSailingInput)
    .mutation(({ ctx, input }) => cancelSailing(ctx, { userId: ctx.admin.userId }, input)),
});
