// SPDX-License-Identifier: Apache-2.0
import { HomePage } from "@/components/HomePage";

export default function Page() {
  return <HomePage />;
}
