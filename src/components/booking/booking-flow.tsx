"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import { type FieldErrors, type FieldPath, type Resolver, useForm } from "react-hook-form";
import { CountStepper } from "@/components/count-stepper";
import { Link, useRouter } from "@/i18n/navigation";
import { useTRPC } from "@/trpc/react";
import {
  type BookingFormValues,
  bookingSchema,
  centimetres,
  normaliseDocument,
  normaliseRegistration,
  type PassengerType,
} from "./booking-schema";
import type { BookingPageData, VehicleClassView } from "./booking-types";
import { Alert, buttonPrimary, buttonSecondary, linkClass, SelectField, TextField } from "./form-fields";
import { HOLD_STORAGE_PREFIX } from "./hold-storage";
import { HoldCountdown } from "./hold-countdown";
import { LegCard } from "./leg-card";
import { TripSummary } from "./trip-summary";
import { errorText, type ParsedError, parseError } from "./trpc-error";

const STEPS = ["trip", "passengers", "vehicle", "contact", "review"] as const;
type Step = (typeof STEPS)[number];

const STEP_FIELDS: Record<Step, FieldPath<BookingFormValues>[]> = {
  trip: [],
  passengers: ["passengers"],
  vehicle: ["vehicle"],
  contact: ["contact"],
  review: [],
};

/** Reasons that mean the chosen sailing cannot be booked at all: the traveller must search again. */
const UNAVAILABLE = new Set(["SOLD_OUT", "SAILING_CANCELLED", "SALES_CLOSED"]);

interface Hold {
  reference: string;
  email: string;
  holdExpiresAt: Date;
  total: string;
  checkoutUrl: string | null;
  paymentError: string | null;
}

/** How long after its end a stored hold is still worth explaining (and its details worth offering again). */
const STALE_HOLD_MS = 60 * 60_000;

/** What survives a trip to Stripe and back in this tab (sessionStorage), per chosen trip. */
interface StoredHold {
  reference: string;
  email: string;
  holdExpiresAt: string;
  total: string;
  paymentError: string | null;
  values?: BookingFormValues;
}

/** Keeps a left-to-right value (plate, email) in one piece inside Arabic text. */
const isolate = (s: string) => `\u2066${s}\u2069`;

function countErrors(e: unknown): number {
  if (!e || typeof e !== "object") return 0;
  if ("message" in e && typeof (e as { message: unknown }).message === "string") return 1;
  return Object.values(e).reduce((n: number, v) => n + countErrors(v), 0);
}

function stepOf(path: string): Step {
  if (path.startsWith("passengers")) return "passengers";
  if (path.startsWith("vehicle") || path === "pets") return "vehicle";
  if (path.startsWith("contact")) return "contact";
  return "review";
}

function partyTypes(r: BookingPageData["request"]): PassengerType[] {
  return [
    ...Array<PassengerType>(r.adults).fill("adult"),
    ...Array<PassengerType>(r.children).fill("child"),
    ...Array<PassengerType>(r.infants).fill("infant"),
  ];
}

/**
 * The booking as steps on one page: trip, passengers, vehicle and pets, contact, review. Each step is checked
 * before the next opens, focus moves to the new step's heading, and problems are announced in one live region.
 * Creating the booking holds the places for 30 minutes and sends the traveller to Stripe Checkout.
 */
export function BookingFlow({ data }: { data: BookingPageData }) {
  const t = useTranslations("book");
  const te = useTranslations("book.errors");
  const ts = useTranslations("book.serverErrors");
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const [updating, startUpdate] = useTransition();

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

  const storageKey = `${data.request.out}|${data.request.ret ?? ""}`;
  const vehicleClass = data.vehicleClasses.find((v) => v.type === data.request.vehicle) ?? null;
  const metres = useCallback(
    (cm: number) =>
      t("metres", {
        value: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
          cm / 100,
        ),
      }),
    [t, locale],
  );

  const schema = useMemo(
    () =>
      bookingSchema({
        msg: (key, values) => te(key as never, values as never),
        departureDate: data.departureDate,
        departureLabel: data.departureLabel,
        international: data.international,
        vehicle: vehicleClass ? { ...vehicleClass, label: vehicleClass.label } : null,
        metres,
      }),
    [te, data.departureDate, data.departureLabel, data.international, vehicleClass, metres],
  );
  // The vehicle class can change while the form is open (it re-prices the trip): always validate with the latest.
  const schemaRef = useRef(schema);
  schemaRef.current = schema;
  const resolver = useCallback<Resolver<BookingFormValues>>(
    (values, ctx, opts) =>
      (zodResolver(schemaRef.current) as unknown as Resolver<BookingFormValues>)(values, ctx, opts),
    [],
  );

  // Checked when the traveller presses Continue, then re-checked as they correct a field. Not on blur: a message
  // appearing as focus leaves a field would move the Continue button from under the pointer.
  const form = useForm<BookingFormValues>({
    mode: "onSubmit",
    resolver,
    defaultValues: {
      passengers: partyTypes(data.request).map((type) => ({
        type,
        firstName: "",
        lastName: "",
        dateOfBirth: "",
        nationality: "",
        documentNumber: "",
      })),
      vehicle: { registration: "", heightCm: "", lengthCm: "" },
      contact: { email: "", phone: "" },
    },
  });
  const { register, formState } = form;
  const errors: FieldErrors<BookingFormValues> = formState.errors;
  // A new vehicle class has new limits: re-check a height or length that was refused under the old one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the schema (the class limits) changes.
  useEffect(() => {
    if (form.getFieldState("vehicle").error) void form.trigger("vehicle");
  }, [schema, form]);
  const field = (name: FieldPath<BookingFormValues>) =>
    register(name, {
      onChange: () => {
        if (form.getFieldState(name).error) void form.trigger(name);
      },
    });

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
    try {
      const raw = window.sessionStorage.getItem(HOLD_STORAGE_PREFIX + storageKey);
      if (!raw) return;
      const saved = JSON.parse(raw) as StoredHold;
      const until = new Date(saved.holdExpiresAt);
      // A hold that ended long ago is history, not something to tell the traveller about.
      if (until.getTime() < Date.now() - STALE_HOLD_MS) {
        window.sessionStorage.removeItem(HOLD_STORAGE_PREFIX + storageKey);
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
    } catch {
      // Storage unavailable (private mode): nothing to restore.
    }
  }, [storageKey]);

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
        const p = parseError(e);
        if (p.reason === "HOLD_EXPIRED") setHoldOver(true);
        announce(errorText(p, ts as never));
      },
    }),
  );

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
        try {
          const stored: StoredHold = {
            reference: h.reference,
            email: h.email,
            holdExpiresAt: h.holdExpiresAt.toISOString(),
            total: h.total,
            paymentError: h.paymentError,
            values: form.getValues(),
          };
          window.sessionStorage.setItem(HOLD_STORAGE_PREFIX + storageKey, JSON.stringify(stored));
        } catch {
          // Not fatal: only the Back-button recovery needs it.
        }
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
      onError: (e) => handleServerError(parseError(e)),
    }),
  );

  const handleServerError = (p: ParsedError) => {
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
      const first = stepOf(paths[0] as string);
      goTo(first);
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

  const submit = async () => {
    setSubmitError(null);
    const ok = await form.trigger();
    if (!ok) {
      const e = form.formState.errors;
      const first = (["passengers", "vehicle", "contact"] as const).find((k) => e[k]) ?? "passengers";
      goTo(first);
      announce(te("stepSummary", { count: Math.max(1, countErrors(e)) }));
      return;
    }
    const v = form.getValues();
    const [outId, outClass] = data.request.out.split(":");
    const ret = data.request.ret?.split(":");
    const height = vehicleClass ? centimetres(v.vehicle.heightCm) : undefined;
    const length = vehicleClass ? centimetres(v.vehicle.lengthCm) : undefined;
    create.mutate({
      outbound: { sailingId: Number(outId), accommodation: outClass as "DECK" },
      return: ret ? { sailingId: Number(ret[0]), accommodation: ret[1] as "DECK" } : undefined,
      passengers: v.passengers.map((p) => ({
        type: p.type,
        firstName: p.firstName.trim(),
        lastName: p.lastName.trim(),
        dateOfBirth: p.type === "adult" || !p.dateOfBirth ? undefined : p.dateOfBirth,
        nationality: p.nationality || undefined,
        documentNumber: normaliseDocument(p.documentNumber) || undefined,
      })),
      vehicle: vehicleClass
        ? {
            type: vehicleClass.type,
            registration: normaliseRegistration(v.vehicle.registration),
            heightCm: height,
            lengthCm: length,
          }
        : undefined,
      pets: data.request.pets,
      contact: { email: v.contact.email.trim(), phone: v.contact.phone.trim() || undefined },
      locale: locale as "en",
    });
  };

  const searchLink = { pathname: "/search", query: data.searchQuery };

  if (hold) {
    return (
      <HoldPanel
        hold={hold}
        over={holdOver}
        searchLink={searchLink}
        paying={pay.isPending}
        onExpired={() => setHoldOver(true)}
        onPay={() => pay.mutate({ reference: hold.reference, email: hold.email })}
        onRestart={() => {
          try {
            window.sessionStorage.removeItem(HOLD_STORAGE_PREFIX + storageKey);
          } catch {}
          setHold(null);
          setHoldOver(false);
          // After a reload the form is empty: start from the top rather than an empty review.
          goTo(form.getValues("passengers.0.firstName") ? "review" : "trip");
        }}
        announcement={announcement}
      />
    );
  }

  const stepIndex = STEPS.indexOf(step);
  const passengerLabel = (type: PassengerType, i: number) => {
    const nth = form
      .getValues("passengers")
      .slice(0, i + 1)
      .filter((p) => p.type === type).length;
    return t(`passengers.${type}`, { n: nth });
  };

  const renderStep = (s: Step) => {
    switch (s) {
      case "trip":
        return (
          <div className="grid gap-3">
            {data.legs.map((leg) => (
              <LegCard key={leg.key} leg={leg} />
            ))}
            <p className="text-sm text-slate-700">
              {data.partyLabel} ·{" "}
              <Link href={searchLink} className={linkClass}>
                {t("trip.change")}
              </Link>
            </p>
          </div>
        );
      case "passengers":
        return (
          <div className="grid gap-4">
            <p className="text-sm text-slate-700">{t("passengers.intro")}</p>
            {form.getValues("passengers").map((p, i) => {
              const pe = errors.passengers?.[i];
              const block = blockErrors[`passengers.${i}`];
              const legend = t("passengers.legend", { n: i + 1, who: passengerLabel(p.type, i) });
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the party is fixed for the page; index is the identity.
                <fieldset key={i} className="rounded-xl border border-slate-300 bg-white p-4">
                  <legend className="px-1 font-bold text-sea-900">{legend}</legend>
                  {block ? (
                    <p className="mb-3 font-medium text-coral-700">
                      <span aria-hidden="true">⚠ </span>
                      {block}
                    </p>
                  ) : null}
                  <div className="grid gap-4 sm:grid-cols-2">
                    <TextField
                      label={t("passengers.firstName")}
                      autoComplete={i === 0 ? "given-name" : "off"}
                      error={pe?.firstName?.message}
                      {...field(`passengers.${i}.firstName`)}
                    />
                    <TextField
                      label={t("passengers.lastName")}
                      autoComplete={i === 0 ? "family-name" : "off"}
                      error={pe?.lastName?.message}
                      {...field(`passengers.${i}.lastName`)}
                    />
                    {p.type !== "adult" ? (
                      <TextField
                        type="date"
                        label={t("passengers.dateOfBirth")}
                        hint={t(`passengers.ageRule.${p.type}`, { date: data.departureLabel })}
                        max={data.departureDate}
                        error={pe?.dateOfBirth?.message}
                        {...field(`passengers.${i}.dateOfBirth`)}
                      />
                    ) : null}
                    {data.international ? (
                      <>
                        <SelectField
                          label={t("passengers.nationality")}
                          error={pe?.nationality?.message}
                          {...field(`passengers.${i}.nationality`)}
                        >
                          <option value="">{t("passengers.chooseCountry")}</option>
                          <optgroup label={t("passengers.frequentCountries")}>
                            {data.countries.frequent.map((c) => (
                              <option key={c.code} value={c.code}>
                                {c.name}
                              </option>
                            ))}
                          </optgroup>
                          <optgroup label={t("passengers.allCountries")}>
                            {data.countries.all.map((c) => (
                              <option key={c.code} value={c.code}>
                                {c.name}
                              </option>
                            ))}
                          </optgroup>
                        </SelectField>
                        <TextField
                          label={t("passengers.document")}
                          hint={t("passengers.documentHint")}
                          autoComplete="off"
                          spellCheck={false}
                          dir="ltr"
                          error={pe?.documentNumber?.message}
                          {...field(`passengers.${i}.documentNumber`)}
                        />
                      </>
                    ) : null}
                  </div>
                </fieldset>
              );
            })}
          </div>
        );
      case "vehicle":
        return (
          <VehicleStep
            data={data}
            vehicleClass={vehicleClass}
            updating={updating}
            onVehicle={(v) => changeExtras({ vehicle: v })}
            onPets={(n) => changeExtras({ pets: n })}
            blockError={blockErrors.vehicle}
            fields={
              vehicleClass ? (
                <div className="grid gap-4 sm:grid-cols-3">
                  <TextField
                    label={t("vehicle.registration")}
                    hint={t("vehicle.registrationHint")}
                    autoComplete="off"
                    spellCheck={false}
                    dir="ltr"
                    error={errors.vehicle?.registration?.message}
                    {...field("vehicle.registration")}
                  />
                  <TextField
                    label={t("vehicle.height")}
                    note={t("optional")}
                    hint={t("vehicle.heightHint", { max: metres(vehicleClass.maxHeightCm) })}
                    inputMode="numeric"
                    dir="ltr"
                    error={errors.vehicle?.heightCm?.message}
                    {...field("vehicle.heightCm")}
                  />
                  <TextField
                    label={t("vehicle.length")}
                    note={t("optional")}
                    hint={t("vehicle.lengthHint", { max: metres(vehicleClass.maxLengthCm) })}
                    inputMode="numeric"
                    dir="ltr"
                    error={errors.vehicle?.lengthCm?.message}
                    {...field("vehicle.lengthCm")}
                  />
                </div>
              ) : null
            }
          />
        );
      case "contact":
        return (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              type="email"
              label={t("contact.email")}
              hint={t("contact.emailHint")}
              autoComplete="email"
              dir="ltr"
              error={errors.contact?.email?.message}
              {...field("contact.email")}
            />
            <TextField
              type="tel"
              label={t("contact.phone")}
              note={t("optional")}
              hint={t("contact.phoneHint")}
              autoComplete="tel"
              dir="ltr"
              error={errors.contact?.phone?.message}
              {...field("contact.phone")}
            />
          </div>
        );
      case "review":
        return (
          <ReviewStep
            data={data}
            values={form.getValues()}
            vehicleClass={vehicleClass}
            passengerLabel={passengerLabel}
            submitError={submitError}
            submitting={create.isPending || updating}
            onSubmit={submit}
          />
        );
    }
  };

  const summaryOf = (s: Step): string => {
    const v = form.getValues();
    switch (s) {
      case "trip":
        return data.legs.map((l) => `${l.dep.date} ${l.dep.time} · ${l.accommodationLabel}`).join(" / ");
      case "passengers":
        return v.passengers.map((p) => `${p.firstName} ${p.lastName}`.trim()).join(", ");
      case "vehicle":
        return [
          vehicleClass
            ? `${vehicleClass.label} ${isolate(normaliseRegistration(v.vehicle.registration))}`
            : t("vehicle.none"),
          data.request.pets ? t("vehicle.petsCount", { count: data.request.pets }) : "",
        ]
          .filter(Boolean)
          .join(" · ");
      case "contact":
        return isolate(v.contact.email);
      default:
        return "";
    }
  };

  return (
    <>
      <div aria-live="assertive" aria-atomic="true" className="sr-only">
        {announcement}
      </div>
      {unavailable ? (
        <div className="mb-6">
          <Alert title={t("unavailable.title")}>
            <p>{unavailable}</p>
            <p className="mt-2">
              <Link href={searchLink} className={linkClass}>
                {t("unavailable.search")}
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}
      <div className="lg:grid lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-8">
        <ol className="grid gap-4">
          {STEPS.map((s, i) => {
            const active = s === step;
            const done = i < stepIndex || (i <= reached && !active);
            return (
              <li key={s}>
                <section
                  aria-labelledby={`step-${s}`}
                  className={`rounded-2xl border p-4 md:p-5 ${active ? "border-sea-700 bg-sand-100/40 shadow-sm" : "border-slate-200 bg-white"}`}
                >
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h2
                      id={`step-${s}`}
                      tabIndex={-1}
                      ref={(el) => {
                        headings.current[s] = el;
                      }}
                      className={`text-lg font-bold ${active ? "text-sea-900" : "text-slate-700"}`}
                    >
                      <span className="sr-only">{t("stepOf", { n: i + 1, total: STEPS.length })} </span>
                      <span aria-hidden="true" className="me-2 tabular-nums">
                        {i + 1}.
                      </span>
                      {t(`steps.${s}`)}
                    </h2>
                    {!active && done && i <= reached && !create.isPending ? (
                      <button
                        type="button"
                        className={linkClass}
                        onClick={() => goTo(s)}
                        aria-label={t("changeStep", { step: t(`steps.${s}`) })}
                      >
                        {t("change")}
                      </button>
                    ) : null}
                  </div>
                  {!active && done && s !== "review" ? (
                    <p className="mt-1 text-sm text-slate-700">{summaryOf(s)}</p>
                  ) : null}
                  {active ? (
                    <div className="mt-3">
                      {renderStep(s)}
                      {s !== "review" ? (
                        <div className="mt-5 flex flex-wrap gap-3">
                          <button
                            type="button"
                            className={buttonPrimary}
                            onClick={onContinue}
                            disabled={updating}
                          >
                            {t("continue")}
                          </button>
                          {i > 0 ? (
                            <button
                              type="button"
                              className={buttonSecondary}
                              onClick={() => goTo(STEPS[i - 1] as Step)}
                            >
                              {t("back")}
                            </button>
                          ) : null}
                        </div>
                      ) : null}
                    </div>
                  ) : null}
                </section>
              </li>
            );
          })}
        </ol>
        <TripSummary data={data} updating={updating} />
      </div>
    </>
  );
}

function VehicleStep({
  data,
  vehicleClass,
  updating,
  onVehicle,
  onPets,
  fields,
  blockError,
}: {
  data: BookingPageData;
  vehicleClass: VehicleClassView | null;
  updating: boolean;
  onVehicle: (v: VehicleClassView["type"] | null) => void;
  onPets: (n: number) => void;
  fields: React.ReactNode;
  blockError?: string;
}) {
  const t = useTranslations("book.vehicle");
  const current = vehicleClass?.type ?? "none";
  // Shown at once; the page then re-renders with the new class's prices and limits.
  const [selected, setSelected] = useState<string>(current);
  useEffect(() => setSelected(current), [current]);
  const choices: { value: string; label: string; limits: string }[] = [
    { value: "none", label: t("none"), limits: t("noneHint") },
    ...data.vehicleClasses.map((v) => ({ value: v.type, label: v.label, limits: v.limits })),
  ];
  return (
    <div className="grid gap-5">
      {blockError ? (
        <p className="font-medium text-coral-700">
          <span aria-hidden="true">⚠ </span>
          {blockError}
        </p>
      ) : null}
      <fieldset aria-describedby="vehicle-why">
        <legend className="font-semibold text-slate-900">{t("legend")}</legend>
        <p id="vehicle-why" className="mb-2 text-sm text-slate-700">
          {t("why")}
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {choices.map((c) => (
            <label
              key={c.value}
              className={`flex cursor-pointer gap-3 rounded-xl border-2 p-3 ${selected === c.value ? "border-sea-700 bg-sea-50" : "border-slate-200 bg-white hover:border-sea-600"}`}
            >
              <input
                type="radio"
                name="vehicle-class"
                value={c.value}
                checked={selected === c.value}
                onChange={() => {
                  setSelected(c.value);
                  onVehicle(c.value === "none" ? null : (c.value as VehicleClassView["type"]));
                }}
                className="mt-1 size-5 shrink-0 accent-sea-700"
              />
              <span>
                <span className="block font-semibold">{c.label}</span>
                <span className="block text-sm text-slate-700">{c.limits}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <p aria-live="polite" className="text-sm font-medium text-sea-700">
        {updating ? t("updating") : ""}
      </p>
      {fields}
      <div className="max-w-sm">
        <CountStepper
          label={t("pets")}
          hint={t("petsHint")}
          addLabel={t("addPet")}
          removeLabel={t("removePet")}
          value={data.request.pets}
          min={0}
          max={4}
          onChange={onPets}
          errorId="pets-error"
        />
      </div>
      {data.legs.some((l) => l.problem) ? (
        <Alert title={t("problemTitle")}>
          <ul>
            {data.legs
              .filter((l) => l.problem)
              .map((l) => (
                <li key={l.key}>
                  {l.heading}: {l.problem}
                </li>
              ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}

function ReviewStep({
  data,
  values,
  vehicleClass,
  passengerLabel,
  submitError,
  submitting,
  onSubmit,
}: {
  data: BookingPageData;
  values: BookingFormValues;
  vehicleClass: VehicleClassView | null;
  passengerLabel: (type: PassengerType, i: number) => string;
  submitError: string | null;
  submitting: boolean;
  onSubmit: () => void;
}) {
  const t = useTranslations("book.review");
  const blocked = data.legs.some((l) => l.problem);
  return (
    <div className="grid gap-5">
      {data.legs.map((leg) => (
        <section key={leg.key} aria-label={leg.heading} className="grid gap-2">
          <LegCard leg={leg} />
          <table className="w-full text-sm">
            <caption className="sr-only">{t("pricesFor", { leg: leg.heading })}</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">{t("item")}</th>
                <th scope="col">{t("amount")}</th>
              </tr>
            </thead>
            <tbody>
              {leg.lines.map((l) => (
                <tr key={l.label} className="border-b border-slate-200">
                  <td className="py-1">{l.label}</td>
                  <td className="py-1 text-end tabular-nums">{l.amount}</td>
                </tr>
              ))}
              <tr className="font-semibold">
                <th scope="row" className="py-1 text-start">
                  {t("legTotal")}
                </th>
                <td className="py-1 text-end tabular-nums">{leg.total}</td>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
      <div className="flex items-baseline justify-between rounded-xl bg-sea-50 p-3">
        <span className="font-bold">{t("total")}</span>
        <span className="text-2xl font-bold tabular-nums text-sea-900">{data.total}</span>
      </div>
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="font-semibold">{t("passengers")}</dt>
          <dd>
            <ul>
              {values.passengers.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed party, index is the identity.
                <li key={i}>
                  {p.firstName} {p.lastName} ({passengerLabel(p.type, i)})
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt className="font-semibold">{t("vehicle")}</dt>
          <dd>
            {vehicleClass
              ? `${vehicleClass.label} · ${isolate(normaliseRegistration(values.vehicle.registration))}`
              : t("noVehicle")}
          </dd>
          {vehicleClass ? <dd className="text-slate-700">{vehicleClass.limits}</dd> : null}
          {data.request.pets ? <dd>{t("pets", { count: data.request.pets })}</dd> : null}
        </div>
        <div>
          <dt className="font-semibold">{t("contact")}</dt>
          <dd>
            <bdi>{values.contact.email}</bdi>
          </dd>
          {values.contact.phone ? (
            <dd>
              <bdi>{values.contact.phone}</bdi>
            </dd>
          ) : null}
        </div>
      </dl>
      <section
        aria-labelledby="policy-title"
        className="rounded-xl border border-slate-200 bg-white p-3 text-sm"
      >
        <h3 id="policy-title" className="font-semibold">
          {t("policyTitle")}
        </h3>
        <p>{data.policy}</p>
        <p className="mt-1 text-slate-700">{t("holdNote")}</p>
      </section>
      {submitError ? <Alert title={t("failed")}>{submitError}</Alert> : null}
      <div>
        <button type="button" className={buttonPrimary} onClick={onSubmit} disabled={submitting || blocked}>
          {submitting ? t("holding") : t("submit")}
        </button>
      </div>
    </div>
  );
}

function HoldPanel({
  hold,
  over,
  searchLink,
  paying,
  onExpired,
  onPay,
  onRestart,
  announcement,
}: {
  hold: Hold;
  over: boolean;
  searchLink: { pathname: string; query: Record<string, string> };
  paying: boolean;
  onExpired: () => void;
  onPay: () => void;
  onRestart: () => void;
  announcement: string;
}) {
  const t = useTranslations("book.hold");
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus when the panel opens and when the hold ends.
  useEffect(() => {
    heading.current?.focus();
  }, [over]);
  return (
    <section
      aria-labelledby="hold-title"
      className="mx-auto max-w-xl rounded-2xl border border-sea-700 bg-white p-5"
    >
      <div aria-live="assertive" aria-atomic="true" className="sr-only">
        {announcement}
      </div>
      <h2 id="hold-title" ref={heading} tabIndex={-1} className="text-xl font-bold text-sea-900">
        {over ? t("overTitle") : t("title")}
      </h2>
      <p className="mt-2">
        {t("reference")}{" "}
        <strong dir="ltr" className="font-mono text-lg">
          {hold.reference}
        </strong>
      </p>
      {hold.total ? <p>{t("total", { total: hold.total })}</p> : null}
      {over ? (
        <div className="mt-4 grid gap-3">
          <p>{t("overBody")}</p>
          <div className="flex flex-wrap gap-3">
            <button type="button" className={buttonPrimary} onClick={onRestart}>
              {t("restart")}
            </button>
            <Link href={searchLink} className={buttonSecondary}>
              {t("searchAgain")}
            </Link>
          </div>
        </div>
      ) : (
        <div className="mt-4 grid gap-3">
          <HoldCountdown until={hold.holdExpiresAt} onExpired={onExpired} />
          {hold.checkoutUrl ? (
            <>
              <p role="status">{t("redirecting")}</p>
              <p>
                <a href={hold.checkoutUrl} className={linkClass}>
                  {t("goNow")}
                </a>
              </p>
            </>
          ) : (
            <>
              {hold.paymentError ? <Alert title={t("paymentProblem")}>{hold.paymentError}</Alert> : null}
              <div className="flex flex-wrap gap-3">
                <button type="button" className={buttonPrimary} onClick={onPay} disabled={paying}>
                  {hold.paymentError ? t("retryPay") : t("continuePay")}
                </button>
                {hold.paymentError ? null : (
                  <button type="button" className={buttonSecondary} onClick={onRestart}>
                    {t("newBooking")}
                  </button>
                )}
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
