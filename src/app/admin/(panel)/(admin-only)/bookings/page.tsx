import type { Metadata } from "next";
import { Suspense } from "react";
import { BookingsPanel } from "@/components/admin/bookings-panel";
import { Loading } from "@/components/admin/ui";

export const metadata: Metadata = { title: "Bookings" };

export default function BookingsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <BookingsPanel />
    </Suspense>
  );
}
