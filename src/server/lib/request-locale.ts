import Negotiator from "negotiator";
import { type Locale, locales } from "@/server/db/schema/bookings";

/** The traveller's language from Accept-Language, for messages of requests that do not carry a locale. */
export function requestLocale(headers: Headers): Locale {
  const accept = headers.get("accept-language");
  if (!accept) return "en";
  const best = new Negotiator({ headers: { "accept-language": accept } }).language([...locales]);
  return (best as Locale | undefined) ?? "en";
}
