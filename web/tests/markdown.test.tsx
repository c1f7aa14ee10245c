// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from "vitest";
import { render } from "@testing-library/react";
import { Markdown, safeUrl } from "@/lib/markdown";

/** Every attribute in the rendered tree: no on* handler may appear. */
function attributes(root: Element): string[] {
  return Array.from(root.querySelectorAll("*")).flatMap((el) => Array.from(el.attributes).map((a) => `${a.name}=${a.value}`));
}

describe("markdown", () => {
  it("renders headings, lists, code and emphasis", () => {
    const { container } = render(
      <Markdown source={"# Title\n\nSome **bold** and *em* and `x < y`.\n\n- one\n- two\n\n1. first\n2. second\n\n```\ncode <b>\n```"} />,
    );
    expect(container.querySelector("h4")?.textContent).toBe("Title");
    expect(container.querySelector("strong")?.textContent).toBe("bold");
    expect(container.querySelector("em")?.textContent).toBe("em");
    expect(container.querySelector("p code")?.textContent).toBe("x < y");
    expect(container.querySelectorAll("ul li")).toHaveLength(2);
    expect(container.querySelectorAll("ol li")).toHaveLength(2);
    expect(container.querySelector("pre code")?.textContent).toBe("code <b>");
    expect(container.querySelector("b")).toBeNull();
  });

  it("keeps raw HTML as text: <script> and <img onerror> do not become elements", () => {
    const src = 'Hi <script>window.__xss=1</script> and <img src=x onerror="window.__xss=2"> and <a href="javascript:alert(1)">x</a>';
    const { container } = render(<Markdown source={src} />);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("<script>window.__xss=1</script>");
    expect(container.textContent).toContain('<img src=x onerror="window.__xss=2">');
    expect(attributes(container).filter((a) => a.startsWith("on"))).toEqual([]);
  });

  it("links only http, https and mailto addresses", () => {
    const src = [
      "[ok](https://example.com/a?b=1)",
      "[js](javascript:alert(1))",
      "[js2]( JaVaScRiPt:alert(1))",
      "[tab](java\tscript:alert(1))",
      "[data](data:text/html;base64,PHNjcmlwdD4=)",
      "[vb](vbscript:msgbox)",
      "[rel](/api/v1/me)",
      "[proto](//evil.example/x)",
      "<https://example.org/auto>",
      "<javascript:alert(1)>",
      "[mail](mailto:a@example.com)",
      "![img](https://example.com/x.png)",
    ].join("\n\n");
    const { container } = render(<Markdown source={src} />);
    const hrefs = Array.from(container.querySelectorAll("a")).map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(["https://example.com/a?b=1", "https://example.org/auto", "mailto:a@example.com"]);
    for (const a of Array.from(container.querySelectorAll("a"))) expect(a.getAttribute("rel")).toContain("noopener");
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("[js](javascript:alert(1))");
    expect(container.textContent).toContain("img");
  });

  it("safeUrl refuses hidden schemes", () => {
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("\u0000javascript:alert(1)")).toBeNull();
    expect(safeUrl("jav\nascript:alert(1)")).toBeNull();
    expect(safeUrl("data:text/html,hi")).toBeNull();
    expect(safeUrl("https://github.com/o/r")).toBe("https://github.com/o/r");
    expect(safeUrl("http:/\\evil")).toBeNull();
  });

  it("bounds nesting and survives hostile input", () => {
    const deep = "**".repeat(200) + "x" + "**".repeat(200);
    const { container } = render(<Markdown source={deep + "\n\n" + "[".repeat(5000) + "\n\n" + "`".repeat(3000)} />);
    expect(container.textContent?.length).toBeGreaterThan(0);
  });
});
