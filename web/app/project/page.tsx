// SPDX-License-Identifier: Apache-2.0
// Exported as out/project.html: the gateway serves it for /projects/{owner}/{repo}.
import type { Metadata } from "next";
import { ProjectPage } from "@/components/ProjectPage";

export const metadata: Metadata = { title: "Project" };

export default function Page() {
  return <ProjectPage />;
}
