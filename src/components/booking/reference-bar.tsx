import type { ReactNode } from "react";
import { StatusBadge } from "./booking-details";

/** The booking's reference and status in a bar at the top of the return-from-payment pages. */
export function ReferenceBar(props: {
  label: string;
  reference: string;
  status: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-xl bg-white p-4">
      <span>{props.label}</span>
      <strong dir="ltr" className="font-mono text-xl">
        {props.reference}
      </strong>
      <StatusBadge status={props.status} />
      {props.children}
    </div>
  );
}
