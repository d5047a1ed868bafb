import { Link } from "@/i18n/navigation";

/** Reached without the payment's reference (a bookmark, a copied URL): where to find the booking instead. */
export function NoReference({ title, body, manage }: { title: string; body: string; manage: string }) {
  return (
    <>
      <h1 className="text-2xl font-bold text-sea-900">{title}</h1>
      <p className="mt-3">{body}</p>
      <p className="mt-4">
        <Link href="/manage" className="font-semibold text-sea-700 underline">
          {manage}
        </Link>
      </p>
    </>
  );
}
