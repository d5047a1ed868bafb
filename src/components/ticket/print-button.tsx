"use client";

/** Printing needs the browser; the rest of the ticket page is rendered on the server. */
export function PrintButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md bg-sea-700 px-4 py-2 font-semibold text-white hover:bg-sea-900 print:hidden"
    >
      {label}
    </button>
  );
}
