import createMiddleware from "next-intl/middleware";
import { routing } from "./i18n/routing";

// Picks the traveller's language (URL, then the remembered cookie, then Accept-Language) and redirects
// bare paths to it. Admin, API and static files are left alone. Security checks never live here.
export default createMiddleware(routing);

export const config = {
  matcher: ["/((?!api|admin|_next|_vercel|.*\\..*).*)"],
};
