// SPDX-License-Identifier: Apache-2.0
// Exported as out/concept.html: the gateway serves it for /concepts/{slug}.
import type { Metadata } from "next";
import { ConceptPage } from "@/components/ConceptPage";

export const metadata: Metadata = { title: "Concept" };

export default function Page() {
  return <ConceptPage />;
}
