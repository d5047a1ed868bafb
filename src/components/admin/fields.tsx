"use client";

import type { ComponentProps } from "react";
import type { RouteRow, VesselRow } from "./types";
import { Alert, btnPrimary, Input, Select, Textarea } from "./ui";

/**
 * Field blocks the admin forms share, so a departure time, a crossing time, a vessel or an amount is asked
 * for the same way on every form. Each takes the usual input props (`{...form.register(name)}`, `error`).
 */

type InputProps = Omit<ComponentProps<typeof Input>, "label">;

/** A wall-clock time at the departure port (the admin types Tunis time for a Tunis departure). */
export function PortTimeField({ portName, ...rest }: InputProps & { portName: string }) {
  return <Input label="Departure time" type="time" hint={`Local time in ${portName}`} {...rest} />;
}

/** Crossing time in minutes; with `usual`, may be left empty for the route's usual time. */
export function DurationField({ usual, ...rest }: InputProps & { usual?: number }) {
  return (
    <Input
      label="Crossing time (minutes)"
      inputMode="numeric"
      {...(usual === undefined
        ? {}
        : { placeholder: String(usual), hint: "Empty: the route's usual crossing time" })}
      {...rest}
    />
  );
}

/** An amount in the currency's major unit ("89.50"), labelled with the currency. */
export function MoneyField({ label, currency, ...rest }: InputProps & { label: string; currency: string }) {
  return <Input label={`${label} (${currency})`} inputMode="decimal" {...rest} />;
}

/** Why an admin changed something, kept in the audit log. */
export function AuditNoteField(props: Omit<ComponentProps<typeof Textarea>, "label">) {
  return <Textarea label="Note for the audit log (optional)" {...props} />;
}

/** The vessel for a sailing; `choose` adds an empty first choice. */
export function VesselSelect({
  vessels,
  route,
  choose,
  ...rest
}: Omit<ComponentProps<typeof Select>, "label" | "children"> & {
  vessels: VesselRow[];
  route: RouteRow;
  choose?: boolean;
}) {
  return (
    <Select label="Vessel" {...rest}>
      {choose ? <option value="">Choose…</option> : null}
      <VesselOptions vessels={vessels} route={route} />
    </Select>
  );
}

/** Vessels of the route's operator first: they are the usual choice, but any vessel may be chartered. */
function VesselOptions({ vessels, route }: { vessels: VesselRow[]; route: RouteRow }) {
  const own = vessels.filter((v) => v.operatorCode === route.operator.code);
  const other = vessels.filter((v) => v.operatorCode !== route.operator.code);
  return (
    <>
      <optgroup label={`${route.operator.name} vessels`}>
        {own.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </optgroup>
      <optgroup label="Other operators">
        {other.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name} ({v.operatorCode})
          </option>
        ))}
      </optgroup>
    </>
  );
}

/** The end of a two-column form: what the server refused, if anything, then the submit button. */
export function FormEnd({
  error,
  pending,
  label,
  pendingLabel,
}: {
  error: string | null;
  pending: boolean;
  label: string;
  pendingLabel: string;
}) {
  return (
    <>
      {error ? (
        <div className="sm:col-span-2">
          <Alert>{error}</Alert>
        </div>
      ) : null}
      <div className="sm:col-span-2">
        <button type="submit" className={btnPrimary} disabled={pending}>
          {pending ? pendingLabel : label}
        </button>
      </div>
    </>
  );
}
