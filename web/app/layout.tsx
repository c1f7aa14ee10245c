// SPDX-License-Identifier: Apache-2.0
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "IssueSight", template: "%s · IssueSight" },
  description:
    "IssueSight turns a GitHub issue into a Context Bridge: what a newcomer must know and read before the issue becomes a good first contribution.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>IssueSight: Context Bridges for first contributions.</p>
        </footer>
      </body>
    </html>
  );
}
