// SPDX-License-Identifier: Apache-2.0
// A bridge as docs/bridge.schema.json describes it, and a mock API for
// component tests (the end-to-end test talks to the real gateway).
import { vi } from "vitest";
import type { Bridge } from "@/lib/api";

export const COMMIT = "0123456789abcdef0123456789abcdef01234567";

export function sampleBridge(over: Partial<Bridge> = {}): Bridge {
  return {
    schema_version: "1.0",
    issue: {
      repo: "octo/widgets",
      number: 42,
      title: "TimeSeries.remove_column gives a misleading error",
      url: "https://github.com/octo/widgets/issues/42",
      state: "open",
      labels: ["good first issue", "bug"],
    },
    verdict: {
      junior_friendly: true,
      difficulty: "beginner",
      score: 0.82,
      reasons: ["labelled good first issue", "one file to change"],
    },
    prerequisites: [
      { concept: "python", name: "Python", why: "the project is written in Python" },
      { concept: "exceptions", name: "Exceptions", why: "the fix changes an error message in core.py" },
    ],
    architecture: {
      summary: "The time series code lives in `widgets/timeseries`.",
      entry_point: "widgets/timeseries/core.py",
      files: [
        {
          path: "widgets/timeseries/core.py",
          role: "defines class TimeSeries",
          score: 1,
          symbols: [
            { name: "TimeSeries", line: 10 },
            { name: "remove_column", line: 77 },
          ],
        },
        { path: "widgets/tests/test core.py", role: "tests", score: 0.4, symbols: [] },
      ],
      relations: [{ from: "widgets/tests/test core.py", to: "widgets/timeseries/core.py", kind: "tests" }],
      read_these: [{ path: "docs/timeseries.rst", kind: "doc", why: "documents remove_column" }],
    },
    guide: {
      steps: [
        { title: "Reproduce", detail: "Run:\n\n```python\nts.remove_column('time')\n```", files: [] },
        { title: "Make the change", detail: "Edit **remove_column** in `core.py`.", files: ["widgets/timeseries/core.py"] },
      ],
      test_command: "pytest widgets/tests -k remove_column",
      contributing: [{ path: "CONTRIBUTING.md", summary: "add a changelog entry" }],
    },
    engine: { kind: "offline", model: null, repo_commit: COMMIT, prompt_tokens: 0, completion_tokens: 0 },
    ...over,
  };
}

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** Replaces fetch with a table of handlers; returns the calls made. */
export function mockApi(handler: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const call: Call = {
        method: init.method ?? "GET",
        url: String(input),
        headers: (init.headers ?? {}) as Record<string, string>,
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      const r = handler(call) ?? { status: 404, body: { error: { code: "not_found", message: "Not found." } } };
      return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
        status: r.status,
        headers: { "Content-Type": "application/json", ...(r.headers ?? {}) },
      });
    }),
  );
  return calls;
}

/** A controllable EventSource: tests push events with emit(). */
export class FakeEventSource {
  static last: FakeEventSource | null = null;
  url: string;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  readyState = 0;
  listeners: Record<string, ((ev: MessageEvent) => void)[]> = {};
  closed = false;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (ev: MessageEvent) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  /** What a browser does when the events address answers 404. */
  fail() {
    this.readyState = 2;
    this.onerror?.();
  }
  emit(type: string, data: unknown) {
    const ev = new MessageEvent(type, { data: JSON.stringify(data) });
    if (type === "message") this.onmessage?.(ev);
    for (const fn of this.listeners[type] ?? []) fn(ev);
  }
}
