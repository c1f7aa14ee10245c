// SPDX-License-Identifier: Apache-2.0
"use client";
// The site's navigation and the theme switch. Links are plain anchors: pages
// with a dynamic address are shells the gateway serves, so every navigation
// is a page load (no client-side route fetches the gateway would not know).
import { useEffect, useState } from "react";

type Theme = "system" | "light" | "dark";
const NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };

const LINKS = [
  ["/", "Home"],
  ["/discover", "Discover"],
  ["/concepts", "Concepts"],
  ["/projects", "Projects"],
  ["/me", "Me"],
] as const;

export function SiteHeader() {
  const [theme, setTheme] = useState<Theme>("system");
  const [path, setPath] = useState("");

  useEffect(() => {
    setPath(window.location.pathname);
    const saved = window.localStorage.getItem("isg-theme");
    if (saved === "light" || saved === "dark") setTheme(saved);
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }, [theme]);

  const cycle = () => {
    const t = NEXT[theme];
    setTheme(t);
    if (t === "system") window.localStorage.removeItem("isg-theme");
    else window.localStorage.setItem("isg-theme", t);
  };

  const current = (href: string) =>
    href === "/" ? path === "/" : path === href || path.startsWith(href + "/");

  return (
    <header className="site-header">
      <a className="brand" href="/">
        IssueSight
      </a>
      <nav aria-label="Main">
        <ul>
          {LINKS.map(([href, label]) => (
            <li key={href}>
              <a href={href} aria-current={current(href) ? "page" : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" className="theme" onClick={cycle} aria-label={`Theme: ${theme}. Change theme`}>
        {theme === "dark" ? "Dark" : theme === "light" ? "Light" : "Auto"} theme
      </button>
    </header>
  );
}
