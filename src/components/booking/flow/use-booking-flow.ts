import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState, useTransition } from "react";
import type { FieldPath } from "react-hook-form";
import { useRouter } from "@/i18n/navigation";
import { type AppErrorView, readAppError } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import type { BookingFormValues } from "../booking-schema";
import type { BookingPageData, VehicleClassView } from "../booking-types";
import { errorText } from "../error-text";
import { forgetHold, readHold, saveHold } from "../hold-storage";
import { createInput } from "./create-input";
import { countErrors, STEP_FIELDS, STEPS, type Step, stepOf, UNAVAILABLE } from "./steps";
import { useBookingForm } from "./use-booking-form";

/** Places held for this booking, awaiting payment. */
export interface Hold {
  reference: string;
  email: string;
  holdExpiresAt: Date;
  total: string;
  checkoutUrl: string | null;
  paymentError: string | null;
}

/** How long after its end a stored hold is still worth explaining (and its details worth offering again). */
const STALE_HOLD_MS = 60 * 60_000;

/**
 * Everything the booking steps share: the form, which step is open and how far the traveller got, focus and
 * announcements, the hold (with its countdown's end) and the calls that create and pay for the booking.
 */
export function useBookingFlow(data: BookingPageData) {
  const te = useTranslations("book.errors");
  const ts = useTranslations("errors");
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const [updating, startUpdate] = useTransition();
  const bookingForm = useBookingForm(data);
  const { form, vehicleClass } = bookingForm;

  const [step, setStep] = useState<Step>("trip");
  const [reached, setReached] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const [blockErrors, setBlockErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [hold, setHold] = useState<Hold | null>(null);
  const [holdOver, setHoldOver] = useState(false);
  const headings = useRef<Partial<Record<Step, HTMLHeadingElement | null>>>({});
  const focusTarget = useRef<HTMLElement | null>(null);
  const wantFocus = useRef(false);

  const trip = `${data.request.out}|${data.request.ret ?? ""}`;

  const announce = (message: string) => {
    // Clear first so the same sentence twice in a row is read again.
    setAnnouncement("");
    window.setTimeout(() => setAnnouncement(message), 50);
  };

  const goTo = (next: Step) => {
    setStep(next);
    setReached((r) => Math.max(r, STEPS.indexOf(next)));
    focusTarget.current = null;
    wantFocus.current = true;
  };

  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    const el = focusTarget.current ?? headings.current[step];
    el?.focus();
  });

  // Back from Stripe with the browser's Back button: the places are still held, so offer to continue paying
  // rather than letting the traveller create a second booking.
  // The details typed come back too, so that if the hold ends the traveller can book again from the review step
  // instead of typing every passport number a second time. Kept in this tab only, and dropped once the booking
  // is confirmed (checkout-success) or the traveller starts a new booking.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restore once per trip; `form` is stable.
  useEffect(() => {
    const saved = readHold(trip);
    if (!saved) return;
    const until = new Date(saved.holdExpiresAt);
    // A hold that ended long ago is history, not something to tell the traveller about.
    if (until.getTime() < Date.now() - STALE_HOLD_MS) {
      forgetHold(trip);
      return;
    }
    const { values, ...rest } = saved;
    const sameParty =
      values?.passengers?.length === form.getValues("passengers").length &&
      values.passengers.every((p, i) => p.type === form.getValues(`passengers.${i}.type`));
    if (values && sameParty) {
      form.reset(values);
      setReached(STEPS.indexOf("review"));
    }
    // Also when the hold has already ended: the page then says so and offers to book again, rather than
    // silently showing an empty form to someone who thinks their places are held.
    setHold({ ...rest, holdExpiresAt: until, checkoutUrl: null });
    if (until.getTime() <= Date.now()) setHoldOver(true);
  }, [trip]);

  // Back from Stripe into a page kept whole by the browser (back/forward cache): the redirect already happened,
  // so show the way to continue paying instead of a "taking you to the payment page" that never comes.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setHold((h) => (h ? { ...h, checkoutUrl: null } : h));
    };
    window.addEventListener("pageshow", onShow);
    return () => window.removeEventListener("pageshow", onShow);
  }, []);

  const changeExtras = (next: { vehicle?: VehicleClassView["type"] | null; pets?: number }) => {
    const r = data.request;
    const vehicle = next.vehicle === undefined ? r.vehicle : next.vehicle;
    const query: Record<string, string> = {
      out: r.out,
      ...(r.ret ? { ret: r.ret } : {}),
      adults: String(r.adults),
      children: String(r.children),
      infants: String(r.infants),
      ...(vehicle ? { vehicle } : {}),
      pets: String(next.pets ?? r.pets),
    };
    // Same page, new prices from the server; the form keeps what the traveller typed.
    startUpdate(() => router.replace({ pathname: "/book", query }, { scroll: false }));
  };

  const onContinue = async () => {
    setSubmitError(null);
    if (step === "trip" && data.legs.some((l) => l.problem)) {
      announce(te("tripProblem"));
      return;
    }
    const fields = STEP_FIELDS[step];
    const ok = fields.length ? await form.trigger(fields, { shouldFocus: true }) : true;
    if (!ok) {
      const n = countErrors(
        fields.map((f) => form.getFieldState(f).error ?? form.formState.errors[f as "contact"]),
      );
      announce(te("stepSummary", { count: Math.max(1, n) }));
      return;
    }
    setBlockErrors((b) => Object.fromEntries(Object.entries(b).filter(([k]) => stepOf(k) !== step)));
    goTo(STEPS[STEPS.indexOf(step) + 1] as Step);
  };

  const pay = useMutation(
    trpc.booking.pay.mutationOptions({
      onSuccess: (r) => window.location.assign(r.checkoutUrl),
      onError: (e) => {
        const p = readAppError(e);
        if (p.reason === "HOLD_EXPIRED") setHoldOver(true);
        announce(errorText(p, ts as never));
      },
    }),
  );

  const handleServerError = (p: AppErrorView) => {
    const text = errorText(p, ts as never);
    if (
      (p.reason && UNAVAILABLE.has(p.reason)) ||
      (p.code === "NOT_FOUND" && (p.field === "outbound" || p.field === "return"))
    ) {
      setUnavailable(text);
      announce(text);
      return;
    }
    const paths = Object.keys(p.fieldErrors);
    if (paths.length) {
      for (const path of paths) {
        const message = p.fieldErrors[path] as string;
        if (/^(passengers\.\d+\.\w+|vehicle\.\w+|contact\.\w+)$/.test(path))
          form.setError(path as FieldPath<BookingFormValues>, { type: "server", message });
        else setBlockErrors((b) => ({ ...b, [path]: message }));
      }
      goTo(stepOf(paths[0] as string));
      announce(te("serverFields", { count: paths.length }));
      return;
    }
    if (p.field && (p.field.startsWith("passengers") || p.field === "vehicle")) {
      setBlockErrors((b) => ({ ...b, [p.field as string]: text }));
      goTo(stepOf(p.field));
      announce(text);
      return;
    }
    setSubmitError(text);
    announce(text);
  };

  const create = useMutation(
    trpc.booking.create.mutationOptions({
      onSuccess: (r) => {
        const h: Hold = {
          reference: r.reference,
          email: form.getValues("contact.email").trim().toLowerCase(),
          holdExpiresAt: new Date(r.holdExpiresAt),
          total: data.total ?? "",
          checkoutUrl: r.checkoutUrl,
          paymentError: r.paymentError ? ts("STRIPE_UNAVAILABLE") : null,
        };
        saveHold(trip, {
          reference: h.reference,
          email: h.email,
          holdExpiresAt: h.holdExpiresAt.toISOString(),
          total: h.total,
          paymentError: h.paymentError,
          values: form.getValues(),
        });
        setHold(h);
        setHoldOver(false);
        wantFocus.current = true;
        focusTarget.current = null;
        if (r.checkoutUrl) {
          const url = r.checkoutUrl;
          // A moment to read that the places are held before the payment page replaces this one.
          window.setTimeout(() => window.location.assign(url), 1200);
        }
      },
      onError: (e) => handleServerError(readAppError(e)),
    }),
  );

  const submit = async () => {
    setSubmitError(null);
    const ok = await form.trigger();
    if (!ok) {
      const e = form.formState.errors;
      goTo((["passengers", "vehicle", "contact"] as const).find((k) => e[k]) ?? "passengers");
      announce(te("stepSummary", { count: Math.max(1, countErrors(e)) }));
      return;
    }
    create.mutate(createInput(form.getValues(), data, vehicleClass, locale));
  };

  /** Drops the hold from this tab and returns to the form (after a reload it is empty: start at the top). */
  const restart = () => {
    forgetHold(trip);
    setHold(null);
    setHoldOver(false);
    goTo(form.getValues("passengers.0.firstName") ? "review" : "trip");
  };

  return {
    ...bookingForm,
    step,
    reached,
    goTo,
    headingRef: (s: Step) => (el: HTMLHeadingElement | null) => {
      headings.current[s] = el;
    },
    announcement,
    blockErrors,
    submitError,
    unavailable,
    updating,
    changeExtras,
    onContinue,
    submit,
    creating: create.isPending,
    hold,
    holdOver,
    expireHold: () => setHoldOver(true),
    pay: () => hold && pay.mutate({ reference: hold.reference, email: hold.email }),
    paying: pay.isPending,
    restart,
    searchLink: { pathname: "/search", query: data.searchQuery },
  };
}

export type BookingFlowState = ReturnType<typeof useBookingFlow>;
