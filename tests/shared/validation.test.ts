import { describe, expect, it } from "vitest";
import {
  type BookingFormValues,
  bookingSchema,
  type PassengerValues,
} from "@/components/booking/booking-schema";
import { createBookingInput, passengerInput, vehicleInput } from "@/server/features/booking/input";
import { partyInput } from "@/server/features/search/input";
import { MAX_PARTY, MAX_PETS } from "@/shared/constants";
import { fitsPassengerType, isBookableParty } from "@/shared/validation";

/**
 * The booking form and the server apply the same rules: every case below is accepted, or refused, by both.
 * The expectations are written out, not computed, so a rule that drifts on either side fails here.
 */

const form = bookingSchema({
  msg: (key) => key,
  departureDate: "2026-07-01",
  departureLabel: "1 July 2026",
  international: true,
  vehicle: { type: "car", maxHeightCm: 190, maxLengthCm: 500, label: "Car" },
  metres: (cm) => `${cm / 100} m`,
});

const adult: PassengerValues = {
  type: "adult",
  firstName: "Amira",
  lastName: "Ben Salah",
  dateOfBirth: "",
  nationality: "TN",
  documentNumber: "X1234567",
};
const values: BookingFormValues = {
  passengers: [adult],
  vehicle: { registration: "123 TU 4567", heightCm: "", lengthCm: "" },
  contact: { email: "amira@example.com", phone: "+216 71 000 000" },
};

/** The paths the form refuses for these values. */
function formIssues(v: BookingFormValues): string[] {
  const r = form.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
}

function serverAccepts(p: Partial<PassengerValues>, contact = values.contact): boolean {
  return createBookingInput.safeParse({
    outbound: { sailingId: 1, accommodation: "DECK" },
    passengers: [
      {
        type: "adult",
        firstName: adult.firstName,
        lastName: adult.lastName,
        nationality: adult.nationality,
        documentNumber: adult.documentNumber,
        ...p,
      },
    ],
    contact: { email: contact.email, phone: contact.phone || undefined },
  }).success;
}

/** Each value of a contact field is accepted, or refused, alike by the server and by the form. */
function expectContactAgreement(field: "phone" | "email", cases: [string, boolean][]) {
  for (const [value, ok] of cases) {
    const contact = { ...values.contact, [field]: value };
    expect({ [field]: value, server: serverAccepts({}, contact) }).toEqual({ [field]: value, server: ok });
    const issues = formIssues({ ...values, contact });
    expect({ [field]: value, form: !issues.includes(`contact.${field}`) }).toEqual({
      [field]: value,
      form: ok,
    });
  }
}

describe("form and server agree", () => {
  it("on names", () => {
    const cases: [string, boolean][] = [
      ["Zoë", true],
      ["O'Brien", true],
      ["Jean-Luc", true],
      ["محمد", true],
      ["Ana María", true],
      ["St. John", true],
      ["", false],
      ["R2D2", false],
      ["Amira!", false],
      ["a".repeat(60), true],
      ["a".repeat(61), false],
    ];
    for (const [name, ok] of cases) {
      expect({ name, server: serverAccepts({ firstName: name }) }).toEqual({ name, server: ok });
      const issues = formIssues({ ...values, passengers: [{ ...adult, firstName: name }] });
      expect({ name, form: !issues.includes("passengers.0.firstName") }).toEqual({ name, form: ok });
    }
  });

  it("on passport or ID numbers (the form removes spaces and hyphens before the same rule)", () => {
    const cases: [string, boolean][] = [
      ["X1234567", true],
      ["AB12C", true],
      ["AB12", false],
      ["A".repeat(20), true],
      ["A".repeat(21), false],
      ["X12#4567", false],
    ];
    for (const [doc, ok] of cases) {
      expect({ doc, server: serverAccepts({ documentNumber: doc }) }).toEqual({ doc, server: ok });
      const issues = formIssues({ ...values, passengers: [{ ...adult, documentNumber: doc }] });
      expect({ doc, form: !issues.includes("passengers.0.documentNumber") }).toEqual({ doc, form: ok });
    }
    expect(formIssues({ ...values, passengers: [{ ...adult, documentNumber: "x12 345-67" }] })).toEqual([]);
  });

  it("on nationality codes", () => {
    expect(serverAccepts({ nationality: "FR" })).toBe(true);
    expect(serverAccepts({ nationality: "FRA" })).toBe(false);
    expect(formIssues({ ...values, passengers: [{ ...adult, nationality: "FRA" }] })).toEqual([
      "passengers.0.nationality",
    ]);
  });

  it("on phone numbers and email addresses", () => {
    const phones: [string, boolean][] = [
      ["+216 71 000 000", true],
      ["(01) 23-45-67", true],
      ["12345", false],
      ["+216 71 000 000 ext 2", false],
    ];
    expectContactAgreement("phone", phones);
    const emails: [string, boolean][] = [
      ["amira@example.com", true],
      ["amira@example", false],
      ["amira example.com", false],
      [`${"a".repeat(245)}@example.com`, false],
    ];
    expectContactAgreement("email", emails);
  });

  it("on children's and infants' ages on the day of departure", () => {
    const child = (dateOfBirth: string): PassengerValues => ({ ...adult, type: "child", dateOfBirth });
    const infant = (dateOfBirth: string): PassengerValues => ({ ...adult, type: "infant", dateOfBirth });
    // Departure 2026-07-01: a child must be 4 to 11 that day, an infant under 4.
    expect(formIssues({ ...values, passengers: [adult, child("2022-07-01")] })).toEqual([]);
    expect(formIssues({ ...values, passengers: [adult, child("2022-07-02")] })).toEqual([
      "passengers.1.dateOfBirth",
    ]);
    expect(formIssues({ ...values, passengers: [adult, child("2014-07-02")] })).toEqual([]);
    expect(formIssues({ ...values, passengers: [adult, child("2014-07-01")] })).toEqual([
      "passengers.1.dateOfBirth",
    ]);
    expect(formIssues({ ...values, passengers: [adult, infant("2022-07-02")] })).toEqual([]);
    expect(formIssues({ ...values, passengers: [adult, infant("2022-07-01")] })).toEqual([
      "passengers.1.dateOfBirth",
    ]);
    expect(fitsPassengerType("child", 3)).toBe(false);
    expect(fitsPassengerType("child", 4)).toBe(true);
    expect(fitsPassengerType("child", 11)).toBe(true);
    expect(fitsPassengerType("child", 12)).toBe(false);
    expect(fitsPassengerType("infant", 3)).toBe(true);
    expect(fitsPassengerType("infant", 4)).toBe(false);
    expect(fitsPassengerType("adult", 11)).toBe(false);
    expect(fitsPassengerType("adult", 12)).toBe(true);
  });

  it("on vehicle plates and measurements", () => {
    const vehicle = (v: Partial<typeof values.vehicle>) =>
      formIssues({ ...values, vehicle: { ...values.vehicle, ...v } });
    expect(vehicle({ registration: "ab-123-cd" })).toEqual([]);
    expect(vehicle({ registration: "A" })).toEqual(["vehicle.registration"]);
    expect(vehicle({ heightCm: "49" })).toEqual(["vehicle.heightCm"]);
    expect(vehicle({ heightCm: "190" })).toEqual([]);
    // Within what the server takes (500) but above a car's class limit.
    expect(vehicle({ heightCm: "191" })).toEqual(["vehicle.heightCm"]);
    expect(vehicle({ lengthCm: "99" })).toEqual(["vehicle.lengthCm"]);
    const server = (v: object) =>
      vehicleInput.safeParse({ type: "car", registration: "AB-123-CD", ...v }).success;
    expect(server({})).toBe(true);
    expect(server({ registration: "A" })).toBe(false);
    expect(server({ heightCm: 49 })).toBe(false);
    expect(server({ heightCm: 500 })).toBe(true);
    expect(server({ heightCm: 501 })).toBe(false);
    expect(server({ lengthCm: 99 })).toBe(false);
    expect(server({ lengthCm: 2001 })).toBe(false);
  });
});

describe("party rules", () => {
  it("are the same for the search, the booking link and the server", () => {
    expect(MAX_PARTY).toBe(9);
    expect(MAX_PETS).toBe(4);
    const cases: [{ adults: number; children: number; infants: number; pets: number }, boolean][] = [
      [{ adults: 1, children: 0, infants: 0, pets: 0 }, true],
      [{ adults: 0, children: 1, infants: 0, pets: 0 }, false],
      [{ adults: 2, children: 5, infants: 2, pets: 4 }, true],
      [{ adults: 2, children: 6, infants: 2, pets: 0 }, false],
      [{ adults: 1, children: 0, infants: 2, pets: 0 }, false],
      [{ adults: 1, children: 0, infants: 0, pets: 5 }, false],
    ];
    for (const [party, ok] of cases) {
      expect({ party, shared: isBookableParty(party) }).toEqual({ party, shared: ok });
      const { pets, ...people } = party;
      const server = partyInput.safeParse(people).success && pets <= MAX_PETS;
      expect({ party, server }).toEqual({ party, server: ok });
    }
    expect(passengerInput.safeParse({ type: "pensioner", firstName: "A", lastName: "B" }).success).toBe(
      false,
    );
  });
});
