"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Link } from "@/i18n/navigation";
import type { BookingPageData } from "../booking-types";
import { Alert, buttonPrimary, buttonSecondary, linkClass } from "../form-fields";
import { TripSummary } from "../trip-summary";
import { HoldPanel } from "./hold-panel";
import { StepContact } from "./step-contact";
import { StepPassengers } from "./step-passengers";
import { StepReview } from "./step-review";
import { stepSummary } from "./step-summary";
import { StepTrip } from "./step-trip";
import { StepVehicle } from "./step-vehicle";
import { STEPS, type Step } from "./steps";
import { type BookingFlowState, useBookingFlow } from "./use-booking-flow";

/**
 * The booking as steps on one page: trip, passengers, vehicle and pets, contact, review. Each step is checked
 * before the next opens, focus moves to the new step's heading, and problems are announced in one live region.
 * Creating the booking holds the places for 30 minutes and sends the traveller to Stripe Checkout.
 */
export function BookingFlow({ data }: { data: BookingPageData }) {
  const t = useTranslations("book");
  const flow = useBookingFlow(data);

  if (flow.hold) {
    return (
      <HoldPanel
        hold={flow.hold}
        over={flow.holdOver}
        searchLink={flow.searchLink}
        paying={flow.paying}
        onExpired={flow.expireHold}
        onPay={flow.pay}
        onRestart={flow.restart}
        announcement={flow.announcement}
      />
    );
  }

  return (
    <>
      <div aria-live="assertive" aria-atomic="true" className="sr-only">
        {flow.announcement}
      </div>
      {flow.unavailable ? (
        <div className="mb-6">
          <Alert title={t("unavailable.title")}>
            <p>{flow.unavailable}</p>
            <p className="mt-2">
              <Link href={flow.searchLink} className={linkClass}>
                {t("unavailable.search")}
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}
      <div className="lg:grid lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-8">
        <ol className="grid gap-4">
          {STEPS.map((s, i) => (
            <li key={s}>
              <StepCard step={s} index={i} flow={flow} summary={stepSummary(s, data, flow, t)}>
                <StepBody step={s} data={data} flow={flow} />
              </StepCard>
            </li>
          ))}
        </ol>
        <TripSummary data={data} updating={flow.updating} />
      </div>
    </>
  );
}

function StepBody({ step, data, flow }: { step: Step; data: BookingPageData; flow: BookingFlowState }) {
  switch (step) {
    case "trip":
      return <StepTrip data={data} searchLink={flow.searchLink} />;
    case "passengers":
      return <StepPassengers data={data} booking={flow} blockErrors={flow.blockErrors} />;
    case "vehicle":
      return (
        <StepVehicle
          data={data}
          booking={flow}
          updating={flow.updating}
          onVehicle={(v) => flow.changeExtras({ vehicle: v })}
          onPets={(n) => flow.changeExtras({ pets: n })}
          blockError={flow.blockErrors.vehicle}
        />
      );
    case "contact":
      return <StepContact booking={flow} />;
    case "review":
      return (
        <StepReview
          data={data}
          values={flow.form.getValues()}
          vehicleClass={flow.vehicleClass}
          passengerLabel={flow.passengerLabel}
          submitError={flow.submitError}
          submitting={flow.creating || flow.updating}
          onSubmit={flow.submit}
        />
      );
  }
}

/**
 * One step as a numbered section: open (its fields and Continue/Back), done (a one-line summary and a
 * Change button) or still ahead (its heading only).
 */
function StepCard({
  step,
  index,
  flow,
  summary,
  children,
}: {
  step: Step;
  index: number;
  flow: BookingFlowState;
  summary: string;
  children: ReactNode;
}) {
  const t = useTranslations("book");
  const active = step === flow.step;
  const done = index < STEPS.indexOf(flow.step) || (index <= flow.reached && !active);
  return (
    <section
      aria-labelledby={`step-${step}`}
      className={`rounded-2xl border p-4 md:p-5 ${active ? "border-sea-700 bg-sand-100/40 shadow-sm" : "border-slate-200 bg-white"}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2
          id={`step-${step}`}
          tabIndex={-1}
          ref={flow.headingRef(step)}
          className={`text-lg font-bold ${active ? "text-sea-900" : "text-slate-700"}`}
        >
          <span className="sr-only">{t("stepOf", { n: index + 1, total: STEPS.length })} </span>
          <span aria-hidden="true" className="me-2 tabular-nums">
            {index + 1}.
          </span>
          {t(`steps.${step}`)}
        </h2>
        {!active && done && index <= flow.reached && !flow.creating ? (
          <button
            type="button"
            className={linkClass}
            onClick={() => flow.goTo(step)}
            aria-label={t("changeStep", { step: t(`steps.${step}`) })}
          >
            {t("change")}
          </button>
        ) : null}
      </div>
      {!active && done && step !== "review" ? <p className="mt-1 text-sm text-slate-700">{summary}</p> : null}
      {active ? (
        <div className="mt-3">
          {children}
          {step !== "review" ? (
            <div className="mt-5 flex flex-wrap gap-3">
              <button
                type="button"
                className={buttonPrimary}
                onClick={flow.onContinue}
                disabled={flow.updating}
              >
                {t("continue")}
              </button>
              {index > 0 ? (
                <button
                  type="button"
                  className={buttonSecondary}
                  onClick={() => flow.goTo(STEPS[index - 1] as Step)}
                >
                  {t("back")}
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
