import type { Locale } from "@/server/db/schema/bookings";
import type { EmailTranslator } from "../i18n";
import type { BookingDocument } from "@/server/db/queries/booking";
import type { Dir } from "./layout";

/** What every booking email template receives; built once per email by render.ts. */
export interface TemplateContext {
  locale: Locale;
  t: EmailTranslator;
  dir: Dir;
  booking: BookingDocument;
  manageUrl: string;
  ticketUrl: string;
  searchUrl: string;
}
