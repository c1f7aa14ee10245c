// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { BridgePage } from "@/components/BridgePage";
import { COMMIT, FakeEventSource, mockApi, sampleBridge } from "./fixtures";

const API = "/api/v1/bridges/octo/widgets/42";
const at = (path: string) => window.history.replaceState(null, "", path);

describe("bridge page", () => {
  it("renders a completed bridge with its links", async () => {
    at("/octo/widgets/issues/42");
    mockApi((c) => (c.url === API ? { status: 200, body: sampleBridge() } : undefined));
    render(<BridgePage />);
    expect(await screen.findByRole("heading", { level: 1, name: /remove_column gives/ })).toBeTruthy();
    expect(screen.getByText("Junior-friendly · beginner")).toBeTruthy();
    expect(screen.getByText("labelled good first issue")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Exceptions" }).getAttribute("href")).toBe("/concepts/exceptions");
    const sym = screen.getByRole("link", { name: /remove_column line 77/ });
    expect(sym.getAttribute("href")).toBe(`https://github.com/octo/widgets/blob/${COMMIT}/widgets/timeseries/core.py#L77`);
    const spaced = screen.getAllByRole("link", { name: "widgets/tests/test core.py" })[0];
    expect(spaced.getAttribute("href")).toBe(`https://github.com/octo/widgets/blob/${COMMIT}/widgets/tests/test%20core.py`);
    expect(screen.getByText("pytest widgets/tests -k remove_column")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open on GitHub" }).getAttribute("href")).toBe("https://github.com/octo/widgets/issues/42");
    // The guide's Markdown is rendered.
    expect(screen.getByText("remove_column", { selector: "strong" })).toBeTruthy();
  });

  it("copies the test command", async () => {
    at("/octo/widgets/issues/42");
    mockApi((c) => (c.url === API ? { status: 200, body: sampleBridge() } : undefined));
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<BridgePage />);
    fireEvent.click(await screen.findByRole("button", { name: "Copy the test command" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("pytest widgets/tests -k remove_column"));
    expect(await screen.findByText("Copied")).toBeTruthy();
  });

  it("renders hostile bridge text as text", async () => {
    at("/octo/widgets/issues/42");
    const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const b = sampleBridge();
    b.issue.title = `Title ${evil}`;
    b.issue.url = "javascript:alert(1)";
    b.verdict.reasons = [evil];
    b.prerequisites[0].why = evil;
    b.architecture.files[0].role = evil;
    b.guide.steps[0].detail = `${evil}\n\n[click](javascript:window.__pwned=3) [d](data:text/html,x)`;
    b.guide.test_command = evil;
    mockApi((c) => (c.url === API ? { status: 200, body: b } : undefined));
    const { container } = render(<BridgePage />);
    await screen.findByRole("heading", { level: 1, name: /Title/ });
    expect(container.querySelector("script, img, iframe, object")).toBeNull();
    for (const el of Array.from(container.querySelectorAll("*")))
      for (const a of Array.from(el.attributes)) {
        expect(a.name.startsWith("on"), a.name).toBe(false);
        if (a.name === "href") expect(a.value).toMatch(/^(https:\/\/github\.com\/|\/)/);
      }
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain("<script>");
    expect(screen.getByRole("link", { name: "Open on GitHub" }).getAttribute("href")).toBe("https://github.com/octo/widgets/issues/42");
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("follows a pending bridge over server-sent events until it completes", async () => {
    at("/octo/widgets/issues/42");
    vi.stubGlobal("EventSource", FakeEventSource);
    let done = false;
    mockApi((c) =>
      c.url === API ? (done ? { status: 200, body: sampleBridge() } : { status: 202, body: { status: "PENDING" } }) : undefined,
    );
    render(<BridgePage />);
    expect(await screen.findByText(/Generating the bridge/)).toBeTruthy();
    const es = FakeEventSource.last!;
    expect(es.url).toBe(`${API}/events`);
    act(() => es.emit("status", { status: "PENDING", stage: "Indexing the repository" }));
    expect(await screen.findByText(/Indexing the repository/)).toBeTruthy();
    done = true;
    act(() => es.emit("status", { status: "COMPLETED" }));
    expect(await screen.findByRole("heading", { level: 1, name: /remove_column gives/ })).toBeTruthy();
    expect(es.closed).toBe(true);
  });

  it("shows FAILED with its reason and retries", async () => {
    at("/octo/widgets/issues/42");
    vi.stubGlobal("EventSource", FakeEventSource);
    let retried = false;
    const calls = mockApi((c) => {
      if (c.url === API)
        return retried
          ? { status: 202, body: { status: "PENDING" } }
          : { status: 200, body: { status: "FAILED", reason: "The repository could not be downloaded." } };
      if (c.url === "/api/v1/me") return { status: 200, body: { id: "u1", login: "ada", csrf_token: "tok123" } };
      if (c.url === "/api/v1/me/quota") return { status: 200, body: { limit: 5, used: 1, remaining: 4, reset_at: null } };
      if (c.url === "/api/v1/bridges" && c.method === "POST") {
        retried = true;
        return { status: 202, body: { status: "PENDING" }, headers: { Location: API } };
      }
    });
    render(<BridgePage />);
    expect(await screen.findByText("Reason: The repository could not be downloaded.")).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Retry" }));
    expect(await screen.findByText(/Generating the bridge/)).toBeTruthy();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ issue: "octo/widgets#42" });
    expect(post.headers["X-CSRF-Token"]).toBe("tok123");
  });

  it("offers sign-in for an unknown issue when signed out", async () => {
    at("/octo/widgets/issues/42");
    mockApi((c) => (c.url === "/api/v1/me" ? { status: 401, body: { error: { code: "unauthorized", message: "Sign in." } } } : undefined));
    render(<BridgePage />);
    expect(await screen.findByText(/no bridge for this issue yet/)).toBeTruthy();
    const gh = await screen.findByRole("link", { name: "Sign in with GitHub" });
    expect(gh.getAttribute("href")).toBe(`/api/v1/auth/github/login?return_to=${encodeURIComponent("/octo/widgets/issues/42")}`);
    expect(screen.getByRole("link", { name: "Sign in with Google" })).toBeTruthy();
  });

  it("offers generation with the quota when signed in, and explains a 429", async () => {
    at("/octo/widgets/issues/42");
    const reset = new Date(Date.now() + 3 * 3600 * 1000).toISOString();
    mockApi((c) => {
      if (c.url === "/api/v1/me") return { status: 200, body: { id: "u1", login: "ada" } };
      if (c.url === "/api/v1/me/quota") return { status: 200, body: { limit: 5, used: 5, remaining: 0, reset_at: reset } };
      if (c.url === "/api/v1/bridges")
        return {
          status: 429,
          headers: { "Retry-After": "10800" },
          body: { error: { code: "quota_exceeded", message: "Quota exceeded." }, quota: { limit: 5, used: 5, remaining: 0, reset_at: reset } },
        };
    });
    render(<BridgePage />);
    expect(await screen.findByText("New bridges in the last 24 hours: 5 of 5")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Generate the bridge" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/You have used all 5 new bridges of the last 24 hours\. You can request another in 3 hours \(/);
  });

  it("says so when the address is not an issue", async () => {
    at("/octo/widgets/pull/42");
    mockApi(() => undefined);
    render(<BridgePage />);
    expect(await screen.findByText("Not an issue address")).toBeTruthy();
  });
});
