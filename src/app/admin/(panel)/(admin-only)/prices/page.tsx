import type { Metadata } from "next";
import { PricesPanel } from "@/components/admin/prices/prices-panel";

export const metadata: Metadata = { title: "Prices" };

const num = (v: string | string[] | undefined) =>
  typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

export default async function PricesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  return <PricesPanel initialRouteId={num(sp.route)} initialSailingId={num(sp.sailing)} />;
}
