import type { ReactNode } from "react";

/** A small read-only table (a booking's legs, payments…): positional columns, optional numeric alignment and total row. */
export function SimpleTable({
  caption,
  head,
  rows,
  foot,
  numeric = [],
  empty = "None.",
}: {
  caption: string;
  head: string[];
  rows: ReactNode[][];
  foot?: ReactNode[];
  numeric?: number[];
  empty?: string;
}) {
  const align = (i: number) => (numeric.includes(i) ? "text-right tabular-nums" : "");
  const cells = (row: ReactNode[]) =>
    row.map((c, ci) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
      <td key={ci} className={`px-2 py-1.5 ${align(ci)}`}>
        {c}
      </td>
    ));
  if (rows.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-sand-100 text-left">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`px-2 py-1.5 ${align(i)}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, ri) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static rows of one render, never reordered.
            <tr key={ri} className="border-t border-slate-200 align-top">
              {cells(r)}
            </tr>
          ))}
        </tbody>
        {foot ? (
          <tfoot>
            <tr className="border-t-2 border-slate-400 font-bold">{cells(foot)}</tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
