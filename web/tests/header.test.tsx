// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { SiteHeader } from "@/components/SiteHeader";

describe("site header", () => {
  it("marks the current page and cycles the theme auto -> light -> dark -> auto, remembering it", () => {
    window.history.replaceState(null, "", "/discover");
    window.localStorage.clear();
    render(<SiteHeader />);
    expect(screen.getByRole("link", { name: "Discover" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Home" }).getAttribute("aria-current")).toBeNull();
    const root = document.documentElement;
    const button = screen.getByRole("button", { name: /Theme: system/ });
    fireEvent.click(button);
    expect(root.getAttribute("data-theme")).toBe("light");
    fireEvent.click(button);
    expect(root.getAttribute("data-theme")).toBe("dark");
    expect(window.localStorage.getItem("isg-theme")).toBe("dark");
    fireEvent.click(button);
    expect(root.hasAttribute("data-theme")).toBe(false);
    expect(window.localStorage.getItem("isg-theme")).toBeNull();
  });

  it("restores a saved theme", () => {
    window.localStorage.setItem("isg-theme", "dark");
    render(<SiteHeader />);
    expect(document.documentElement.getAttribute("data-theme")).toBe("dark");
    expect(screen.getByRole("button", { name: /Theme: dark/ })).toBeTruthy();
    window.localStorage.clear();
    document.documentElement.removeAttribute("data-theme");
  });
});
