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
import { adminAction } from "./actions";

/** admin.schedule — routes, vessels, sailings and their capacities. */
export const adminScheduleRouter = createTRPCRouter({
  routes: adminProcedure.query(({ ctx }) => listRoutes(ctx.svc)),
  vessels: adminProcedure.query(({ ctx }) => listVessels(ctx.svc)),
  list: adminProcedure.input(listSailingsInput).query(({ ctx, input }) => listSailings(ctx.svc, input)),
  weekView: adminProcedure.input(weekViewInput).query(({ ctx, input }) => weekView(ctx.svc, input)),
  previewTimetable: adminProcedure
    .input(timetableInput)
    .query(({ ctx, input }) => previewTimetable(ctx.svc, input)),
  generateTimetable: adminAction(timetableInput, generateTimetable),
  create: adminAction(createSailingInput, createSailing),
  update: adminAction(updateSailingInput, updateSailing),
  setCapacity: adminAction(setCapacityInput, setCapacity),
  cancelSailing: adminAction(cancelSailingInput, cancelSailing),
});
