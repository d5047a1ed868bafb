import { z } from "zod";

/**
 * zod compiles object parsers with `new Function` when it is allowed to, and probes for it on first use.
 * In the browser our content security policy forbids eval (see server/features/security/headers.ts), so
 * even the probe is reported as a violation; parsing without compiling is just as correct, and fast
 * enough for forms. Imported first by src/trpc/react.tsx, which every page's client code sits under.
 */
z.config({ jitless: true });
