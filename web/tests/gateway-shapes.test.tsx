// SPDX-License-Identifier: Apache-2.0
// The answers as issuesight-gateway writes them (servers/gateway, store and
// concepts JSON on the gateway branch), read by the pages.
import { describe, expect, it, vi } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { getConcept, listIssues, listProjects, listTutorials, readQuota } from "@/lib/api";
import { BridgePage } from "@/components/BridgePage";
import { FakeEventSource, mockApi, sampleBridge } from "./fixtures";

const gwIssue = {
  id: "9b1d",
  project: "octo-org/hello-world",
  number: 12,
  title: "Fix the widget",
  state: "open",
  labels: ["good first issue"],
  difficulty: "beginner",
  junior_friendly: true,
  is_pull_request: false,
  gh_updated_at: "2026-12-05T08:00:00Z",
  status: null,
};

describe("gateway answers", () => {
  it("issue lists: project full name, gh_updated_at, keyset cursor", async () => {
    mockApi(() => ({ status: 200, body: { items: [gwIssue], next_cursor: "c2" } }));
    const page = await listIssues({ junior_friendly: true });
    expect(page.next_cursor).toBe("c2");
    expect(page.items[0]).toMatchObject({ owner: "octo-org", repo: "hello-world", number: 12, last_activity_at: "2026-12-05T08:00:00Z", difficulty: "beginner" });
    expect(page.items[0].assignee).toBeUndefined(); // not said: the list shows nothing rather than "unassigned"
  });

  it("projects: a bare array with owner and name", async () => {
    mockApi(() => ({ status: 200, body: [{ id: "p1", owner: "octo-org", name: "hello-world", full_name: "octo-org/hello-world", language: "C", tracked: true }] }));
    expect((await listProjects())[0]).toMatchObject({ owner: "octo-org", repo: "hello-world", language: "C", tracked: true });
  });

  it("a concept: wrapped in concept, issues as a page, parent from the tree", async () => {
    mockApi((c) => {
      if (c.url === "/api/v1/concepts/message-queues")
        return {
          status: 200,
          body: {
            concept: { slug: "message-queues", name: "Message queues", description: "d", level: 2, children: [{ slug: "redis-streams", name: "Redis Streams", children: [] }] },
            issues: { items: [gwIssue], next_cursor: null },
          },
        };
      if (c.url === "/api/v1/concepts")
        return {
          status: 200,
          body: { concepts: [{ slug: "distributed-systems", name: "Distributed systems", children: [{ slug: "message-queues", name: "Message queues", children: [] }] }] },
        };
    });
    const c = await getConcept("message-queues");
    expect(c.parent).toEqual({ slug: "distributed-systems", name: "Distributed systems" });
    expect(c.children).toEqual([{ slug: "redis-streams", name: "Redis Streams" }]);
    expect(c.issues[0].title).toBe("Fix the widget");
  });

  it("tutorials and quota", async () => {
    mockApi(() => ({
      status: 200,
      body: [{ id: "t", content_id: "c", project: "octo-org/hello-world", number: 3, title: "T", status: "PENDING", is_original_requester: true, unlocked_at: "2026-12-05T09:00:00Z" }],
    }));
    expect((await listTutorials())[0]).toMatchObject({ owner: "octo-org", repo: "hello-world", number: 3, created_at: "2026-12-05T09:00:00Z" });
    expect(readQuota({ limit: null, used: 0, remaining: null, retry_after_s: 0, exempt: true })).toEqual({ limit: null, used: 0, remaining: null, reset_at: null });
  });

  it("a pending bridge without an events stream is polled until it completes", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      window.history.replaceState(null, "", "/octo-org/hello-world/issues/12");
      vi.stubGlobal("EventSource", FakeEventSource);
      let done = false;
      mockApi((c) =>
        c.url === "/api/v1/bridges/octo-org/hello-world/12"
          ? done
            ? { status: 200, body: sampleBridge() }
            : { status: 202, body: { issue: "octo-org/hello-world#12", status: "PENDING", updated_at: "2026-12-05T09:00:00Z" } }
          : undefined,
      );
      render(<BridgePage />);
      expect(await screen.findByText(/Generating the bridge/)).toBeTruthy();
      await vi.waitFor(() => expect(FakeEventSource.last?.url).toBe("/api/v1/bridges/octo-org/hello-world/12/events"));
      act(() => FakeEventSource.last!.fail());
      done = true;
      await act(async () => {
        await vi.advanceTimersByTimeAsync(3500);
      });
      expect(await screen.findByRole("heading", { name: "Verdict" })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("home lists on a gateway without a bridge listing", () => {
  it("shows recent bridges from the issue list and no popular section", async () => {
    const { HomePage } = await import("@/components/HomePage");
    mockApi((c) => {
      if (c.url.startsWith("/api/v1/bridges")) return { status: 405, body: { error: { code: "method_not_allowed", message: "GET is not allowed here" } } };
      if (c.url.startsWith("/api/v1/issues"))
        return { status: 200, body: { items: [{ ...gwIssue, status: "COMPLETED" }, { ...gwIssue, number: 13, title: "Not yet", status: "PENDING" }], next_cursor: null } };
    });
    render(<HomePage />);
    expect((await screen.findByRole("link", { name: "Fix the widget" })).getAttribute("href")).toBe("/octo-org/hello-world/issues/12");
    expect(screen.queryByText("Not yet")).toBeNull();
    expect(screen.queryByRole("heading", { name: "Popular bridges" })).toBeNull();
  });

  it("says how long ago in months and years", async () => {
    const { relative } = await import("@/components/ui");
    const now = Date.parse("2026-12-05T00:00:00Z");
    expect(relative("2023-12-05T00:00:00Z", now)).toBe("3 years ago");
    expect(relative("2026-09-05T00:00:00Z", now)).toBe("3 months ago");
    expect(relative("2026-11-25T00:00:00Z", now)).toBe("10 days ago");
  });
});

describe("project page on a gateway without the project route", () => {
  it("takes the project from the list and its issues from the issue list", async () => {
    const { getProject } = await import("@/lib/api");
    const calls = mockApi((c) => {
      if (c.url === "/api/v1/projects") return { status: 200, body: [{ owner: "octo-org", name: "hello-world", description: "d", language: "C", tracked: true }] };
      if (c.url.startsWith("/api/v1/issues")) return { status: 200, body: { items: [gwIssue], next_cursor: null } };
    });
    const p = await getProject("octo-org", "hello-world");
    expect(p).toMatchObject({ owner: "octo-org", repo: "hello-world", language: "C" });
    expect(p.issues[0].number).toBe(12);
    expect(calls.some((c) => c.url === "/api/v1/issues?project=octo-org%2Fhello-world")).toBe(true);
    await expect(getProject("octo-org", "other")).rejects.toMatchObject({ status: 404 });
  });
});

describe("project page on a gateway with the project route", () => {
  it("reads GET /api/v1/projects/{owner}/{repo}: the project and a page of its issues", async () => {
    const { getProject } = await import("@/lib/api");
    mockApi((c) => {
      if (c.url === "/api/v1/projects/octo-org/hello-world")
        return { status: 200, body: { project: { owner: "octo-org", name: "hello-world", full_name: "octo-org/hello-world", language: "C", tracked: true }, issues: { items: [gwIssue], next_cursor: null } } };
    });
    const p = await getProject("octo-org", "hello-world");
    expect(p).toMatchObject({ owner: "octo-org", repo: "hello-world", language: "C" });
    expect(p.issues.map((i) => i.number)).toEqual([12]);
  });
});

describe("CSRF token from the session", () => {
  it("reads GET /api/v1/auth/session once and sends its csrf on changes", async () => {
    vi.resetModules();
    const api = await import("@/lib/api");
    const calls = mockApi((c) => {
      if (c.url === "/api/v1/auth/session") return { status: 200, body: { user_id: "u1", csrf: "s3ss10n", expires_at: "2026-12-12T00:00:00Z" } };
      if (c.url === "/api/v1/me/tokens/t1") return { status: 204 };
    });
    await api.revokeToken("t1");
    await api.revokeToken("t1");
    const deletes = calls.filter((c) => c.method === "DELETE");
    expect(deletes.map((c) => c.headers["X-CSRF-Token"])).toEqual(["s3ss10n", "s3ss10n"]);
    expect(calls.filter((c) => c.url === "/api/v1/auth/session")).toHaveLength(1);
  });
});
