// SPDX-License-Identifier: Apache-2.0
// Exported as out/bridge.html: the gateway serves it for every
// /{owner}/{repo}/issues/{n}; the page reads the issue from the address.
import type { Metadata } from "next";
import { BridgePage } from "@/components/BridgePage";

export const metadata: Metadata = { title: "Context Bridge" };

export default function Page() {
  return <BridgePage />;
}
