// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { DiscoverPage } from "@/components/DiscoverPage";
import { MePage } from "@/components/MePage";
import { SubmitBox } from "@/components/HomePage";
import { ConceptPage } from "@/components/ConceptPage";
import { mockApi } from "./fixtures";

const issue = (n: number, title: string) => ({
  owner: "octo",
  repo: "widgets",
  number: n,
  title,
  state: "open",
  language: "Python",
  difficulty: "beginner",
  junior_friendly: true,
  concepts: ["python"],
  last_activity_at: new Date(Date.now() - 2 * 3600 * 1000).toISOString(),
  assignee: null,
});

describe("discover", () => {
  it("filters by concept and keeps the filter in the address", async () => {
    window.history.replaceState(null, "", "/discover");
    const calls = mockApi((c) => {
      if (c.url === "/api/v1/concepts") return { status: 200, body: { concepts: [{ slug: "python", name: "Python", parent: null }] } };
      if (c.url === "/api/v1/projects") return { status: 200, body: { projects: [{ owner: "octo", repo: "widgets", language: "Python" }] } };
      if (c.url.startsWith("/api/v1/issues")) {
        const q = new URL(c.url, "http://x").searchParams;
        const items = q.get("concept") === "python" ? [issue(2, "Python only")] : [issue(1, "Anything"), issue(2, "Python only")];
        return { status: 200, body: { items, next_cursor: null } };
      }
    });
    render(<DiscoverPage />);
    expect(await screen.findByRole("link", { name: "Anything" })).toBeTruthy();
    expect(screen.getAllByText("unassigned")).toHaveLength(2);
    expect(screen.getAllByText("2 hours ago")).toHaveLength(2);
    await waitFor(() => expect(screen.getAllByRole("option", { name: "Python" }).length).toBe(2));
    fireEvent.change(screen.getByLabelText("Concept"), { target: { value: "python" } });
    await waitFor(() => expect(screen.queryByRole("link", { name: "Anything" })).toBeNull());
    expect(screen.getByRole("link", { name: "Python only" }).getAttribute("href")).toBe("/octo/widgets/issues/2");
    const last = calls.filter((c) => c.url.startsWith("/api/v1/issues")).pop()!;
    expect(last.url).toBe("/api/v1/issues?junior_friendly=true&concept=python");
    expect(window.location.search).toBe("?concept=python");
  });

  it("pages with the cursor", async () => {
    window.history.replaceState(null, "", "/discover?difficulty=beginner");
    const calls = mockApi((c) => {
      if (!c.url.startsWith("/api/v1/issues")) return { status: 200, body: [] };
      return c.url.includes("cursor=abc")
        ? { status: 200, body: { items: [issue(3, "Second page")], next_cursor: null } }
        : { status: 200, body: { items: [issue(1, "First page")], next_cursor: "abc" } };
    });
    render(<DiscoverPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Show more" }));
    expect(await screen.findByRole("link", { name: "Second page" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "First page" })).toBeTruthy();
    expect(calls.some((c) => c.url === "/api/v1/issues?junior_friendly=true&difficulty=beginner&cursor=abc")).toBe(true);
  });
});

describe("me", () => {
  it("shows sign-in buttons when signed out", async () => {
    mockApi(() => ({ status: 401, body: { error: { code: "unauthorized", message: "no" } } }));
    render(<MePage />);
    expect((await screen.findByRole("link", { name: "Sign in with GitHub" })).getAttribute("href")).toBe("/api/v1/auth/github/login?return_to=%2Fme");
    expect(screen.getByRole("link", { name: "Sign in with Google" }).getAttribute("href")).toBe("/api/v1/auth/google/login?return_to=%2Fme");
  });

  it("shows quota, tutorials and tokens; creates and revokes a token", async () => {
    const reset = new Date(Date.now() + 90 * 60 * 1000).toISOString();
    let tokens = [{ id: "t1", name: "ci", created_at: new Date().toISOString(), last_used_at: null }];
    const calls = mockApi((c) => {
      if (c.url === "/api/v1/me") return { status: 200, body: { id: "u1", login: "ada", email: "ada@example.com", csrf_token: "c1" } };
      if (c.url === "/api/v1/me/quota") return { status: 200, body: { limit: 5, used: 2, remaining: 3, reset_at: reset } };
      if (c.url === "/api/v1/me/tutorials")
        return { status: 200, body: { tutorials: [{ owner: "octo", repo: "widgets", number: 42, title: "Fix it", status: "COMPLETED", is_original_requester: true }] } };
      if (c.url === "/api/v1/me/tokens" && c.method === "GET") return { status: 200, body: { tokens } };
      if (c.url === "/api/v1/me/tokens" && c.method === "POST") {
        tokens = [...tokens, { id: "t2", name: "laptop", created_at: new Date().toISOString(), last_used_at: null }];
        return { status: 201, body: { id: "t2", token: "isg_secret_value" } };
      }
      if (c.url === "/api/v1/me/tokens/t1" && c.method === "DELETE") {
        tokens = tokens.filter((t) => t.id !== "t1");
        return { status: 204 };
      }
    });
    render(<MePage />);
    expect(await screen.findByRole("heading", { level: 1, name: "ada" })).toBeTruthy();
    expect(await screen.findByText("New bridges in the last 24 hours: 2 of 5")).toBeTruthy();
    const meter = screen.getByLabelText("New bridges in the last 24 hours: 2 of 5");
    expect(meter.getAttribute("value")).toBe("2");
    expect(screen.getByText(/The next slot frees in 2 hours \(/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Fix it" }).getAttribute("href")).toBe("/octo/widgets/issues/42");
    expect(await screen.findByText("ci")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name of a new token"), { target: { value: "laptop" } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByText("isg_secret_value")).toBeTruthy();
    expect(await screen.findByText("laptop")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Revoke token ci" }));
    await waitFor(() => expect(screen.queryByText("ci")).toBeNull());
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.headers["X-CSRF-Token"]).toBe("c1");
    expect(post.body).toEqual({ name: "laptop" });
  });
});

describe("home submit box", () => {
  it("explains an input that is not an issue", async () => {
    mockApi(() => undefined);
    render(<SubmitBox />);
    fireEvent.change(screen.getByLabelText("GitHub issue"), { target: { value: "not an issue" } });
    fireEvent.click(screen.getByRole("button", { name: "Get the bridge" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Paste a GitHub issue address/);
    expect(screen.getByLabelText("GitHub issue").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows a readable quota message on 429", async () => {
    mockApi((c) => {
      if (c.url === "/api/v1/me") return { status: 200, body: { id: "u1", login: "ada" } };
      if (c.url === "/api/v1/bridges")
        return { status: 429, headers: { "Retry-After": "1800" }, body: { error: { code: "quota_exceeded", message: "Quota exceeded." } } };
    });
    render(<SubmitBox />);
    fireEvent.change(screen.getByLabelText("GitHub issue"), { target: { value: "https://github.com/octo/widgets/issues/9" } });
    fireEvent.click(screen.getByRole("button", { name: "Get the bridge" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/You can request another in 30 minutes \(/);
  });
});

describe("concept page", () => {
  it("shows description, parent, children and issues", async () => {
    window.history.replaceState(null, "", "/concepts/message-queues");
    mockApi((c) =>
      c.url === "/api/v1/concepts/message-queues"
        ? {
            status: 200,
            body: {
              slug: "message-queues",
              name: "Message queues",
              description: "Producers and consumers <b>decoupled</b>.",
              parent: { slug: "distributed-systems", name: "Distributed systems" },
              children: [{ slug: "redis-streams", name: "Redis Streams" }],
              issues: [issue(5, "Queue bug")],
            },
          }
        : undefined,
    );
    const { container } = render(<ConceptPage />);
    expect(await screen.findByRole("heading", { level: 1, name: "Message queues" })).toBeTruthy();
    expect(screen.getByText("Producers and consumers <b>decoupled</b>.")).toBeTruthy();
    expect(container.querySelector("b")).toBeNull();
    expect(screen.getAllByRole("link", { name: "Distributed systems" })[0].getAttribute("href")).toBe("/concepts/distributed-systems");
    expect(screen.getByRole("link", { name: "Redis Streams" }).getAttribute("href")).toBe("/concepts/redis-streams");
    expect(screen.getByRole("link", { name: "Queue bug" })).toBeTruthy();
  });
});

describe("quota answers", () => {
  it("reads a reset time given as seconds from now", async () => {
    const { readQuota } = await import("@/lib/api");
    const q = readQuota({ limit: 5, used: 5, remaining: 0, retry_after_s: 7200 })!;
    expect(q.remaining).toBe(0);
    const ms = Date.parse(q.reset_at!) - Date.now();
    expect(ms).toBeGreaterThan(7190 * 1000);
    expect(ms).toBeLessThanOrEqual(7200 * 1000);
    expect(readQuota({ limit: 5, used: 0, remaining: 5, retry_after_s: 0 })!.reset_at).toBeNull();
  });
});
