// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from "vitest";
import {
  bridgeHref,
  githubFileHref,
  parseBridgePath,
  parseConceptPath,
  parseIssueInput,
  parseProjectPath,
} from "@/lib/paths";

describe("paths", () => {
  it("reads issue references a user pastes", () => {
    const want = { owner: "octo", repo: "widgets", number: 42 };
    expect(parseIssueInput("https://github.com/octo/widgets/issues/42")).toEqual(want);
    expect(parseIssueInput("  octo/widgets#42 ")).toEqual(want);
    expect(parseIssueInput("http://www.github.com/octo/widgets/issues/42/")).toEqual(want);
    expect(parseIssueInput("https://github.com/octo/widgets/issues/42#issuecomment-1")).toEqual(want);
    expect(parseIssueInput("/octo/widgets/issues/42")).toEqual(want);
    expect(parseIssueInput("https://github.com/my-org/re.po_x/issues/7")).toEqual({ owner: "my-org", repo: "re.po_x", number: 7 });
  });

  it("refuses anything else", () => {
    for (const bad of [
      "",
      "octo/widgets",
      "octo/widgets#0",
      "octo/widgets#-1",
      "octo/widgets#1x",
      "https://gitlab.com/octo/widgets/issues/1",
      "https://github.com/octo/widgets/pull/1",
      "-octo/widgets#1",
      "octo-/widgets#1",
      "a--b/widgets#1",
      "octo/..#1",
      "octo/wid gets#1",
      "o/r#99999999999999999",
      "javascript:alert(1)//github.com/o/r/issues/1",
      "a".repeat(40) + "/r#1",
    ])
      expect(parseIssueInput(bad), bad).toBeNull();
  });

  it("reads the shell pages' addresses", () => {
    expect(parseBridgePath("/octo/widgets/issues/42")).toEqual({ owner: "octo", repo: "widgets", number: 42 });
    expect(parseBridgePath("/octo/widgets/issues/42/")).toEqual({ owner: "octo", repo: "widgets", number: 42 });
    expect(parseBridgePath("/octo/widgets/pull/42")).toBeNull();
    expect(parseBridgePath("/octo/%2e%2e/issues/42")).toBeNull();
    expect(parseBridgePath("/octo/w/issues/%ZZ")).toBeNull();
    expect(parseConceptPath("/concepts/message-queues")).toBe("message-queues");
    expect(parseConceptPath("/concepts/Bad_Slug")).toBeNull();
    expect(parseProjectPath("/projects/octo/widgets")).toEqual({ owner: "octo", repo: "widgets" });
    expect(parseProjectPath("/projects/octo")).toBeNull();
  });

  it("builds GitHub links at the recorded commit, encoded", () => {
    const c = "0123456789abcdef0123456789abcdef01234567";
    expect(githubFileHref("octo/widgets", c, "src/a b.py", 12)).toBe(`https://github.com/octo/widgets/blob/${c}/src/a%20b.py#L12`);
    expect(githubFileHref("octo/widgets", "content:abc", "src/a.py")).toBe("https://github.com/octo/widgets/blob/HEAD/src/a.py");
    expect(githubFileHref("octo/widgets", c, "src/x.py", 0)).toBe(`https://github.com/octo/widgets/blob/${c}/src/x.py`);
    expect(githubFileHref("octo/widgets", c, "../../etc/passwd")).toBeNull();
    expect(githubFileHref("", c, "a.py")).toBeNull();
    expect(githubFileHref("javascript:x/y", c, "a.py")).toBeNull();
    expect(githubFileHref("octo/widgets", c, "a#?.py")).toBe(`https://github.com/octo/widgets/blob/${c}/a%23%3F.py`);
    expect(bridgeHref({ owner: "octo", repo: "w.x", number: 3 })).toBe("/octo/w.x/issues/3");
  });
});
