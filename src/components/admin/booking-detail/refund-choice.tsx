"use client";

import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { MoneyField } from "../fields";

/**
 * How much to refund: two radio choices (the usual amount, or one the admin types) and, when the second is
 * chosen, the amount. Shared by the cancel and refund dialogs.
 */
export function RefundChoice({
  legend,
  choices,
  rule,
  amount,
  showAmount,
  currency,
  hint,
  error,
}: {
  legend: string;
  choices: readonly [{ value: string; label: ReactNode }, { value: string; label: ReactNode }];
  rule: UseFormRegisterReturn;
  amount: UseFormRegisterReturn;
  showAmount: boolean;
  currency: string;
  hint: string;
  error?: string;
}) {
  return (
    <>
      <fieldset className="grid gap-2">
        <legend className="font-semibold">{legend}</legend>
        {choices.map((c) => (
          <label key={c.value} className="flex items-center gap-2">
            <input type="radio" value={c.value} {...rule} />
            {c.label}
          </label>
        ))}
      </fieldset>
      {showAmount ? (
        <MoneyField
          label="Refund amount"
          currency={currency}
          hint={hint}
          error={error}
          className="w-48"
          {...amount}
        />
      ) : null}
    </>
  );
}
