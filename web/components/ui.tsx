// SPDX-License-Identifier: Apache-2.0
"use client";
// Small pieces shared by the pages: loading and error states, times, the
// verdict badge, issue lists, sign-in buttons and the quota meter.
import { useEffect, useState, type ReactNode } from "react";
import { ApiError, loginUrl, type Difficulty, type IssueSummary, type Quota } from "@/lib/api";
import { bridgeHref, conceptHref, githubIssueHref, projectHref } from "@/lib/paths";

/** window.location.pathname after hydration ("" while the shell renders). */
export function usePathname(): string | null {
  const [p, setP] = useState<string | null>(null);
  useEffect(() => setP(window.location.pathname), []);
  return p;
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="progress" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** A readable sentence for an error (never a raw stack or status line only). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429) return quotaSentence(e);
    if (e.status === 401) return "You need to sign in for this.";
    if (e.status === 503) return `${e.message} The service is busy or partly down; try again in a minute.`;
    return e.message;
  }
  return "Something went wrong. Try again.";
}

export function ErrorBox({ error, children }: { error: unknown; children?: ReactNode }) {
  return (
    <div className="alert error" role="alert">
      <p className="flush">{errorText(error)}</p>
      {children}
    </div>
  );
}

const dateFmt = (d: Date) =>
  new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(d);

/** "in 3 hours" / "5 minutes ago", relative to now. */
export function relative(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((t - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const a = Math.abs(s);
  if (a < 60) return rtf.format(s, "second");
  if (a < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (a < 86400) return rtf.format(Math.round(s / 3600), "hour");
  if (a < 60 * 86400) return rtf.format(Math.round(s / 86400), "day");
  if (a < 365 * 86400) return rtf.format(Math.round(s / (30.44 * 86400)), "month");
  return rtf.format(Math.round(s / (365.25 * 86400)), "year");
}

export function Time({ iso }: { iso: string | null }) {
  if (!iso) return <span>unknown</span>;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={dateFmt(d)}>
      {relative(iso)}
    </time>
  );
}

/** When the quota frees a slot, as words: "in 3 hours (5 Dec 2026, 14:05)". */
export function resetWords(q: Quota | null, retryAfter: number | null = null): string | null {
  let iso = q?.reset_at ?? null;
  if (!iso && retryAfter !== null) iso = new Date(Date.now() + retryAfter * 1000).toISOString();
  if (!iso || Number.isNaN(Date.parse(iso))) return null;
  return `${relative(iso)} (${dateFmt(new Date(iso))})`;
}

export function quotaSentence(e: ApiError): string {
  const q = e.quota;
  const when = resetWords(q, e.retryAfter);
  const limit = q?.limit != null ? `all ${q.limit} new bridges of the last 24 hours` : "your quota of new bridges";
  return `You have used ${limit}. You can request another ${when ?? "later"}.`;
}

export function QuotaMeter({ quota }: { quota: Quota }) {
  if (quota.limit === null)
    return <p>No quota: you can request as many new bridges as you need.</p>;
  const when = resetWords(quota);
  return (
    <div className="quota">
      <label htmlFor="quota-meter">
        New bridges in the last 24 hours: {quota.used} of {quota.limit}
      </label>
      <div>
        <meter id="quota-meter" min={0} max={quota.limit} low={Math.max(1, quota.limit - 1)} high={quota.limit} optimum={0} value={quota.used}>
          {quota.used} of {quota.limit}
        </meter>
      </div>
      <p className="muted">
        {quota.remaining ?? Math.max(0, quota.limit - quota.used)} left.
        {when && quota.used > 0 ? ` The next slot frees ${when}.` : ""} Opening a bridge someone else already made is free.
      </p>
    </div>
  );
}

export function SignInButtons({ next }: { next: string }) {
  return (
    <div className="row">
      <a className="button primary" href={loginUrl("github", next)}>
        Sign in with GitHub
      </a>
      <a className="button" href={loginUrl("google", next)}>
        Sign in with Google
      </a>
    </div>
  );
}

const DIFF_CLASS: Record<Difficulty, string> = { beginner: "ok", intermediate: "warn", advanced: "bad" };

export function DifficultyBadge({ difficulty, friendly }: { difficulty: Difficulty | null; friendly: boolean | null }) {
  if (!difficulty && friendly === null) return null;
  const cls = difficulty ? DIFF_CLASS[difficulty] : "plain";
  const words = [friendly === true ? "Junior-friendly" : friendly === false ? "Not junior-friendly" : null, difficulty]
    .filter(Boolean)
    .join(" · ");
  return <span className={`badge ${cls}`}>{words}</span>;
}

export function IssueList({ issues, empty }: { issues: IssueSummary[]; empty: string }) {
  if (!issues.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="list">
      {issues.map((i) => {
        const ref = { owner: i.owner, repo: i.repo, number: i.number };
        return (
          <li key={`${i.owner}/${i.repo}#${i.number}`}>
            <div>
              <a href={bridgeHref(ref)}>{i.title || `Issue #${i.number}`}</a>{" "}
              <DifficultyBadge difficulty={i.difficulty} friendly={i.junior_friendly} />
            </div>
            <div className="meta">
              <span>
                <a href={projectHref(i.owner, i.repo)}>
                  {i.owner}/{i.repo}
                </a>
                #{i.number}
              </span>
              {i.language && <span>{i.language}</span>}
              <span>
                last activity <Time iso={i.last_activity_at} />
              </span>
              {i.assignee !== undefined && <span>{i.assignee ? `assigned to ${i.assignee}` : "unassigned"}</span>}
              <span>{i.state}</span>
              {i.concepts.slice(0, 4).map((c) => (
                <a key={c} href={conceptHref(c)}>
                  {c}
                </a>
              ))}
              <a href={githubIssueHref(ref)}>on GitHub</a>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
