import type { ReactNode } from "react";

/** A column heading: its content, or its content and the classes it adds to the row's own. */
export type HeadCell = ReactNode | [content: ReactNode, className: string];

/** A table's one row of column headings (`<th scope="col">`), each with `cellClassName` and its own classes. */
export function TableHead({
  className,
  cellClassName,
  cells,
}: {
  className?: string;
  cellClassName?: string;
  cells: HeadCell[];
}) {
  return (
    <thead className={className}>
      <tr>
        {cells.map((cell, i) => {
          const [content, own] = Array.isArray(cell) ? cell : [cell, undefined];
          const classes = [cellClassName, own].filter(Boolean).join(" ") || undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the headings of one table, never reordered.
            <th key={i} scope="col" className={classes}>
              {content}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
