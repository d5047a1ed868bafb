// Stripe's documented test cards (https://docs.stripe.com/testing) and the messages Checkout
// shows for them. Anything that is not a known test number is refused, as test mode does.
import type { CardDetails } from "./objects";

interface Outcome {
  brand: string;
  decline?: { code: string; declineCode?: string; message: string };
}

const DECLINED = "Your card was declined.";

const TEST_CARDS: Record<string, Outcome> = {
  "4242424242424242": { brand: "visa" },
  "4000056655665556": { brand: "visa" },
  "5555555555554444": { brand: "mastercard" },
  "2223003122003222": { brand: "mastercard" },
  "5200828282828210": { brand: "mastercard" },
  "378282246310005": { brand: "amex" },
  "6011111111111117": { brand: "discover" },
  "4000000000000002": {
    brand: "visa",
    decline: { code: "card_declined", declineCode: "generic_decline", message: DECLINED },
  },
  "4000000000009995": {
    brand: "visa",
    decline: {
      code: "card_declined",
      declineCode: "insufficient_funds",
      message: "Your card has insufficient funds.",
    },
  },
  "4000000000009987": {
    brand: "visa",
    decline: { code: "card_declined", declineCode: "lost_card", message: DECLINED },
  },
  "4000000000009979": {
    brand: "visa",
    decline: { code: "card_declined", declineCode: "stolen_card", message: DECLINED },
  },
  "4000000000000069": { brand: "visa", decline: { code: "expired_card", message: "Your card has expired." } },
  "4000000000000127": {
    brand: "visa",
    decline: { code: "incorrect_cvc", message: "Your card's security code is incorrect." },
  },
  "4000000000000119": {
    brand: "visa",
    decline: {
      code: "processing_error",
      message: "An error occurred while processing your card. Try again in a little bit.",
    },
  },
};

export interface CardForm {
  email: string;
  number: string;
  expiry: string;
  cvc: string;
}

export type CardField = "email" | "number" | "expiry" | "cvc";

export type CardCheck =
  | { ok: true; card: CardDetails }
  | { ok: false; field: CardField; message: string }
  | { ok: false; field: null; code: string; declineCode?: string; message: string };

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Field validation first (as Checkout does in the browser), then the card's scripted outcome. */
export function checkCard(form: CardForm, now = new Date()): CardCheck {
  const email = form.email.trim();
  if (email === "") return { ok: false, field: "email", message: "Your email is incomplete." };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return { ok: false, field: "email", message: "Your email address is invalid." };
  }
  const number = form.number.replace(/[\s-]/g, "");
  if (!/^\d*$/.test(number)) return { ok: false, field: "number", message: "Your card number is invalid." };
  if (number.length < 15) return { ok: false, field: "number", message: "Your card number is incomplete." };
  if (number.length > 19 || !luhn(number)) {
    return { ok: false, field: "number", message: "Your card number is invalid." };
  }
  const expiry = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(form.expiry);
  if (!expiry) return { ok: false, field: "expiry", message: "Your card's expiration date is incomplete." };
  const month = Number(expiry[1]);
  const rawYear = expiry[2] ?? "";
  const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear);
  if (month < 1 || month > 12) {
    return { ok: false, field: "expiry", message: "Your card's expiration date is invalid." };
  }
  const thisYear = now.getUTCFullYear();
  if (year < thisYear)
    return { ok: false, field: "expiry", message: "Your card's expiration year is in the past." };
  if (year === thisYear && month < now.getUTCMonth() + 1) {
    return { ok: false, field: "expiry", message: "Your card's expiration date is in the past." };
  }
  const outcome = TEST_CARDS[number];
  const cvcLength = outcome?.brand === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(form.cvc.trim())) {
    return { ok: false, field: "cvc", message: "Your card's security code is incomplete." };
  }
  if (!outcome) {
    return {
      ok: false,
      field: null,
      code: "card_declined",
      declineCode: "test_mode_live_card",
      message:
        "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
    };
  }
  if (outcome.decline) return { ok: false, field: null, ...outcome.decline };
  return {
    ok: true,
    card: {
      brand: outcome.brand,
      country: "US",
      exp_month: month,
      exp_year: year,
      funding: "credit",
      last4: number.slice(-4),
    },
  };
}
