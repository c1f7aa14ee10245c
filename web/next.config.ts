// SPDX-License-Identifier: Apache-2.0
//
// The UI is a static export served by issuesight-gateway: one process serves
// the API and these files. Pages with a dynamic part (the bridge page
// /{owner}/{repo}/issues/{n}, /concepts/{slug}, /projects/{owner}/{repo}) are
// exported once as a shell that reads its parameters from window.location;
// the gateway maps those paths to the shell's file (see web/README.md).
import type { NextConfig } from "next";

const config: NextConfig = {
  output: "export",
  trailingSlash: false,
  reactStrictMode: true,
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
  images: { unoptimized: true },
};

export default config;
