// SPDX-License-Identifier: Apache-2.0
"use client";
// The bridge page, /{owner}/{repo}/issues/{n}: one exported shell for every
// issue; the issue comes from window.location. It shows the bridge, follows a
// pending one over server-sent events (with a slow poll as a fallback), shows
// FAILED with its reason and a retry, and offers to generate an unknown one.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  bridgeEventsUrl,
  getBridge,
  getMe,
  getQuota,
  submitBridge,
  type BridgeState,
  type Me,
  type Quota,
} from "@/lib/api";
import { githubIssueHref, parseBridgePath, type IssueRef } from "@/lib/paths";
import { BridgeDocument } from "./BridgeDocument";
import { ErrorBox, Loading, QuotaMeter, SignInButtons, usePathname } from "./ui";

const STAGES: Record<string, string> = {
  QUEUED: "Queued: waiting for a worker.",
  PENDING: "Reading the issue and the repository…",
};

function Progress({ status, stage }: { status: string; stage: string | null }) {
  return (
    <div className="card" aria-live="polite">
      <p className="progress" role="status">
        <span className="spinner" aria-hidden="true" />
        <span>
          <strong>Generating the bridge.</strong> {stage ? `${stage}` : STAGES[status] ?? status}
        </span>
      </p>
      <p className="muted">This page updates by itself when the bridge is ready; you can also come back later.</p>
    </div>
  );
}

/** Server-sent events for a pending bridge; calls onChange when it settles. */
function useBridgeEvents(ref: IssueRef | null, active: boolean, onStage: (s: string) => void, onSettled: () => void) {
  useEffect(() => {
    if (!ref || !active) return;
    let es: EventSource | null = null;
    const handle = (ev: MessageEvent) => {
      let status = "";
      let stage: string | null = null;
      try {
        const d = JSON.parse(String(ev.data));
        status = String(d.status ?? "").toUpperCase();
        stage = typeof d.stage === "string" ? d.stage : typeof d.message === "string" ? d.message : null;
      } catch {
        status = String(ev.data).trim().toUpperCase();
      }
      if (status === "COMPLETED" || status === "FAILED") {
        es?.close();
        onSettled();
      } else if (stage) onStage(stage);
    };
    // The events are the fast path; a slow poll covers a proxy that
    // buffers them, a fast one a server without them.
    let poll = window.setInterval(onSettled, 15000);
    const pollFast = () => {
      window.clearInterval(poll);
      poll = window.setInterval(onSettled, 3000);
    };
    if (typeof EventSource !== "undefined") {
      es = new EventSource(bridgeEventsUrl(ref.owner, ref.repo, ref.number));
      es.onmessage = handle;
      es.addEventListener("status", handle as EventListener);
      es.onerror = () => {
        if (es && es.readyState === 2) pollFast();
      };
    } else pollFast();
    return () => {
      es?.close();
      window.clearInterval(poll);
    };
  }, [ref, active, onStage, onSettled]);
}

export function BridgePage() {
  const path = usePathname();
  const [ref, setRef] = useState<IssueRef | null>(null);
  const [state, setState] = useState<BridgeState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [quota, setQuota] = useState<Quota | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const r = parseBridgePath(path);
    setRef(r);
    if (r) document.title = `${r.owner}/${r.repo}#${r.number} · IssueSight`;
  }, [path]);

  const load = useCallback(async () => {
    if (!ref) return;
    const n = ++seq.current;
    try {
      const s = await getBridge(ref.owner, ref.repo, ref.number);
      if (n !== seq.current) return;
      setState(s);
      setError(null);
      if (s.kind === "completed") document.title = `${s.bridge.issue.title} · IssueSight`;
    } catch (e) {
      if (n === seq.current) setError(e);
    }
  }, [ref]);

  useEffect(() => {
    void load();
  }, [load]);

  // Who is signed in matters only when the page offers to generate or retry.
  const needsUser = state?.kind === "unknown" || state?.kind === "failed";
  useEffect(() => {
    if (!needsUser || me !== undefined) return;
    getMe()
      .then(async (u) => {
        setMe(u);
        if (u) setQuota(await getQuota().catch(() => null));
      })
      .catch(() => setMe(null));
  }, [needsUser, me]);

  const pending = state?.kind === "pending";
  useBridgeEvents(ref, pending, setStage, load);

  const generate = async () => {
    if (!ref) return;
    setBusy(true);
    setError(null);
    try {
      const r = await submitBridge(`${ref.owner}/${ref.repo}#${ref.number}`);
      setState(r.state);
      setStage(null);
      await load(); // the GET is the authority on what the submission did
      if (me) setQuota(await getQuota().catch(() => quota));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (path === null) return <Loading what="the bridge" />;
  if (!ref)
    return (
      <>
        <h1>Not an issue address</h1>
        <p>
          A bridge lives at <code>/owner/repository/issues/number</code>, like an issue on GitHub.
        </p>
      </>
    );

  const here = `/${ref.owner}/${ref.repo}/issues/${ref.number}`;
  const heading = `${ref.owner}/${ref.repo} #${ref.number}`;
  const actionError = error ? <ErrorBox error={error} /> : null;

  if (!state) return error ? <><h1>{heading}</h1>{actionError}<button type="button" onClick={() => void load()}>Try again</button></> : <Loading what="the bridge" />;

  switch (state.kind) {
    case "completed":
      return <BridgeDocument bridge={state.bridge} issue={ref} />;
    case "pending":
      return (
        <>
          <h1>{heading}</h1>
          <Progress status={state.status} stage={stage ?? state.stage} />
          <a href={githubIssueHref(ref)}>Open the issue on GitHub</a>
        </>
      );
    case "failed":
      return (
        <>
          <h1>{heading}</h1>
          <div className="alert error" role="alert">
            <p className="first">
              <strong>The bridge could not be generated.</strong>
            </p>
            <p className="last">Reason: {state.reason}</p>
          </div>
          {actionError}
          {me ? (
            <button type="button" className="primary" onClick={generate} disabled={busy}>
              {busy ? "Retrying…" : "Retry"}
            </button>
          ) : me === null ? (
            <>
              <p>Sign in to retry it.</p>
              <SignInButtons next={here} />
            </>
          ) : null}
          {quota && me && <QuotaMeter quota={quota} />}
          <p>
            <a href={githubIssueHref(ref)}>Open the issue on GitHub</a>
          </p>
        </>
      );
    default:
      return (
        <>
          <h1>{heading}</h1>
          <p>IssueSight has no bridge for this issue yet.</p>
          {actionError}
          {me === undefined ? (
            <Loading what="your account" />
          ) : me ? (
            <>
              {quota && <QuotaMeter quota={quota} />}
              <button type="button" className="primary" onClick={generate} disabled={busy}>
                {busy ? "Sending…" : "Generate the bridge"}
              </button>
            </>
          ) : (
            <>
              <p>Sign in to generate it. Each account can request a few new bridges a day; opening existing ones is free.</p>
              <SignInButtons next={here} />
            </>
          )}
          <p>
            <a href={githubIssueHref(ref)}>Open the issue on GitHub</a>
          </p>
        </>
      );
  }
}
