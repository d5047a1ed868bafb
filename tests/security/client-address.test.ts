import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress, UNTRUSTED_CLIENT } from "@/server/features/security/client-address";

const h = (xff?: string, extra: Record<string, string> = {}) =>
  new Headers({ ...(xff === undefined ? {} : { "x-forwarded-for": xff }), ...extra });

describe("clientAddress", () => {
  it("with no trusted proxy, ignores X-Forwarded-For and X-Real-IP entirely", () => {
    for (const xff of ["1.2.3.4", "9.9.9.9, 1.2.3.4", undefined]) {
      expect(clientAddress(h(xff, { "x-real-ip": "5.6.7.8" }), 0)).toBe(UNTRUSTED_CLIENT);
    }
  });

  it("takes the N-th entry from the right, so whatever the client wrote on the left does not matter", () => {
    expect(clientAddress(h("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(h("7.7.7.7, 8.8.8.8, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(h("6.6.6.6, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    // Two X-Forwarded-For headers are one list.
    const two = new Headers();
    two.append("x-forwarded-for", "6.6.6.6");
    two.append("x-forwarded-for", "203.0.113.7");
    expect(clientAddress(two, 1)).toBe("203.0.113.7");
    // X-Real-IP is client-writable too: never used.
    expect(clientAddress(h("203.0.113.7", { "x-real-ip": "1.1.1.1" }), 1)).toBe("203.0.113.7");
  });

  it("a request that did not pass through every proxy lands in the shared bucket, not one it chose", () => {
    expect(clientAddress(h("203.0.113.7"), 2)).toBe(UNTRUSTED_CLIENT);
    expect(clientAddress(h(undefined), 1)).toBe(UNTRUSTED_CLIENT);
    expect(clientAddress(h(" , "), 1)).toBe(UNTRUSTED_CLIENT);
  });
});

describe("normaliseAddress", () => {
  it("drops ports and brackets, maps IPv4-in-IPv6 to IPv4 and reduces IPv6 to its /64", () => {
    expect(normaliseAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normaliseAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normaliseAddress("[2001:db8:1:2::1]:443")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  });

  it("puts anything that is not an address in one bucket", () => {
    expect(normaliseAddress("unknown")).toBe("invalid");
    expect(normaliseAddress("<script>")).toBe("invalid");
    expect(normaliseAddress("999.1.1.1")).toBe("invalid");
  });
});
