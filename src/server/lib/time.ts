/**
 * The date helpers live in `src/shared/dates.ts`, used by server and pages alike. This path is kept only
 * for the tests that still import it; new code imports `@/shared/dates`.
 */
export { addDays, isoWeekday, localDate } from "@/shared/dates";
