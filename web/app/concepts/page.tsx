// SPDX-License-Identifier: Apache-2.0
import type { Metadata } from "next";
import { ConceptsPage } from "@/components/ConceptsPage";

export const metadata: Metadata = { title: "Concepts" };

export default function Page() {
  return <ConceptsPage />;
}
