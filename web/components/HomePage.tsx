// SPDX-License-Identifier: Apache-2.0
"use client";
// Home: what IssueSight is, the submit box, recent and popular bridges.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, getMe, listBridges, submitBridge, type BridgeSummary } from "@/lib/api";
import { bridgeHref, parseIssueInput } from "@/lib/paths";
import { DifficultyBadge, ErrorBox } from "./ui";

export function SubmitBox() {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    const ref = parseIssueInput(value);
    if (!ref) {
      setProblem("Paste a GitHub issue address (https://github.com/owner/repo/issues/123) or owner/repo#123.");
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      // Signed in: ask for it now (unlocks an existing bridge, or starts
      // one). Signed out: the bridge page shows it or offers to sign in.
      if (await getMe()) await submitBridge(`${ref.owner}/${ref.repo}#${ref.number}`);
      window.location.assign(bridgeHref(ref));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="submit" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="issue">GitHub issue</label>
        <input
          id="issue"
          name="issue"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://github.com/owner/repo/issues/123 or owner/repo#123"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "issue-problem" : undefined}
        />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Opening…" : "Get the bridge"}
      </button>
      {problem && (
        <p id="issue-problem" className="alert error full" role="alert">
          {problem}
        </p>
      )}
      {error !== null && (
        <div className="full">
          <ErrorBox error={error} />
        </div>
      )}
    </form>
  );
}

function BridgeList({ title, sort }: { title: string; sort: "recent" | "popular" }) {
  const [items, setItems] = useState<BridgeSummary[] | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    listBridges(sort).then(setItems, setFailed);
  }, [sort]);
  const id = `list-${sort}`;
  // A gateway that cannot rank bridges: no section rather than an error.
  if (failed instanceof ApiError && (failed.status === 404 || failed.status === 405)) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {failed ? (
        <p className="muted">Could not load this list.</p>
      ) : items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="list">
          {items.slice(0, 10).map((b) => (
            <li key={`${b.owner}/${b.repo}#${b.number}`}>
              <a href={bridgeHref(b)}>{b.title || `${b.owner}/${b.repo}#${b.number}`}</a>{" "}
              <DifficultyBadge difficulty={b.difficulty} friendly={b.junior_friendly} />
              <div className="meta">
                {b.owner}/{b.repo}#{b.number}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function HomePage() {
  return (
    <>
      <h1>Understand an issue before you start on it</h1>
      <p className="lead">
        IssueSight turns a GitHub issue into a Context Bridge: a verdict on whether it suits a newcomer, the concepts to
        learn first, the files that matter and a step-by-step guide. Replace <code>github.com</code> in an issue&apos;s
        address with this site&apos;s to open its bridge.
      </p>
      <SubmitBox />
      <div className="grid2">
        <BridgeList title="Recent bridges" sort="recent" />
        <BridgeList title="Popular bridges" sort="popular" />
      </div>
    </>
  );
}
