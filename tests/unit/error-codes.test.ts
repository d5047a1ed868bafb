import { readFileSync, readdirSync } from "node:fs";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import {
  ERROR_CODES,
  ERROR_STATUS,
  genericCodeForStatus,
  isErrorCode,
  isGenericCode,
} from "@/shared/error-codes";

/**
 * The one error vocabulary (`src/shared/error-codes.ts`): every code answers with a status tRPC itself
 * agrees with, every locale has words for every code, and AppError carries both.
 */
const locales = readdirSync("messages").filter((l) => !l.startsWith("."));
const catalog = (locale: string) =>
  JSON.parse(readFileSync(`messages/${locale}/errors.json`, "utf8")) as Record<string, string>;

describe("the status table", () => {
  it.each(ERROR_CODES)("%s answers with a status whose HTTP code is the one tRPC sends", (code) => {
    const status = ERROR_STATUS[code];
    expect(status).toBeDefined();
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: status.trpc }))).toBe(status.http);
  });

  it("gives AppError its tRPC code and HTTP status from the table, and keeps `details.reason` for old clients", () => {
    const sold = new AppError("SOLD_OUT", "No room.", { resource: "VEHICLE" });
    expect([sold.reason, sold.code, sold.httpStatus]).toEqual(["SOLD_OUT", "CONFLICT", 409]);
    expect(sold.details).toEqual({ reason: "SOLD_OUT", resource: "VEHICLE" });
    const hold = new AppError("HOLD_EXPIRED", "Too late.");
    expect([hold.code, hold.httpStatus, hold.details]).toEqual([
      "PRECONDITION_FAILED",
      412,
      { reason: "HOLD_EXPIRED" },
    ]);
    // A generic code says no more than its status: no reason is added to the details.
    const missing = new AppError("NOT_FOUND", "No such booking.");
    expect([missing.code, missing.httpStatus, missing.details]).toEqual(["NOT_FOUND", 404, undefined]);
    expect(new AppError("INTERNAL", "Oops").code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("names the generic code of a status, for errors tRPC raises itself", () => {
    expect(genericCodeForStatus(404)).toBe("NOT_FOUND");
    expect(genericCodeForStatus(500)).toBe("INTERNAL");
    expect(genericCodeForStatus(415)).toBe("BAD_REQUEST");
    expect(genericCodeForStatus(502)).toBe("INTERNAL");
    for (const code of ERROR_CODES.filter(isGenericCode)) {
      expect(genericCodeForStatus(ERROR_STATUS[code].http)).toBe(code);
    }
  });

  it("tells codes from other strings", () => {
    expect(isErrorCode("SOLD_OUT")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("sold_out")).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});

describe("the errors messages", () => {
  it("exist for en, fr and ar", () => {
    expect(locales.sort()).toEqual(["ar", "en", "fr"]);
  });

  it.each(locales)("%s has a message for every ErrorCode, and no key the others lack", (locale) => {
    const messages = catalog(locale);
    const missing = ERROR_CODES.filter((c) => typeof messages[c] !== "string" || !messages[c]?.trim());
    expect(missing).toEqual([]);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(catalog("en")).sort());
  });

  it.each(locales)("%s: every message formats with the details its reason carries", (locale) => {
    const t = createTranslator({ locale, messages: { errors: catalog(locale) }, namespace: "errors" });
    const values = { status: "CANCELLED", minutes: 3, max: 2 };
    for (const key of Object.keys(catalog(locale))) {
      const text = t(key as never, values as never);
      expect(text, key).not.toContain("{");
      expect(text, key).not.toBe(`errors.${key}`);
    }
  });
});
