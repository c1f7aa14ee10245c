// SPDX-License-Identifier: Apache-2.0
import type { Metadata } from "next";
import { DiscoverPage } from "@/components/DiscoverPage";

export const metadata: Metadata = { title: "Discover junior-friendly issues" };

export default function Page() {
  return <DiscoverPage />;
}
