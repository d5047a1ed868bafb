import type { Locale } from "@/server/db/schema/bookings";
import type { EmailTranslator } from "../i18n";
import type { BookingView } from "@/server/features/tickets/load-booking";
import type { Dir } from "./layout";

/** What every booking email template receives; built once per email by render.ts. */
export interface TemplateContext {
  locale: Locale;
  t: EmailTranslator;
  dir: Dir;
  booking: BookingView;
  manageUrl: string;
  ticketUrl: string;
  searchUrl: string;
}
