// SPDX-License-Identifier: Apache-2.0
"use client";
// A COMPLETED Context Bridge: verdict, prerequisites, architecture and guide.
// Every string in it is untrusted (GitHub, the model): plain text is rendered
// as React text, the guide's Markdown through lib/markdown, and links are
// built by lib/paths from checked names.
import { useState } from "react";
import type { Bridge } from "@/lib/api";
import { Markdown, safeUrl } from "@/lib/markdown";
import { conceptHref, githubFileHref, githubIssueHref, type IssueRef } from "@/lib/paths";
import { DifficultyBadge } from "./ui";

function FileLink({ b, path, line, children }: { b: Bridge; path: string; line?: number; children?: React.ReactNode }) {
  const href = githubFileHref(b.issue.repo, b.engine.repo_commit, path, line);
  const body = children ?? <code>{path}</code>;
  return href ? (
    <a href={href} rel="noopener noreferrer" target="_blank">
      {body}
    </a>
  ) : (
    <>{body}</>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<"" | "ok" | "fail">("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone("ok");
    } catch {
      setDone("fail");
    }
  };
  return (
    <>
      <button type="button" onClick={copy} aria-label={label}>
        {done === "ok" ? "Copied" : "Copy"}
      </button>
      <span className="sr-only" role="status">
        {done === "ok" ? "Copied to the clipboard" : done === "fail" ? "Copying failed: select the text and copy it" : ""}
      </span>
    </>
  );
}

/** Where "Open on GitHub" goes: the recorded issue address when it is GitHub's. */
export function githubHref(b: Bridge, ref: IssueRef): string {
  const u = b.issue.url ? safeUrl(b.issue.url) : null;
  return u && u.startsWith("https://github.com/") ? u : githubIssueHref(ref);
}

export function BridgeDocument({ bridge: b, issue }: { bridge: Bridge; issue: IssueRef }) {
  const v = b.verdict;
  const a = b.architecture;
  const g = b.guide;
  const pct = Math.round(Math.max(0, Math.min(1, v.score)) * 100);
  return (
    <article aria-labelledby="bridge-title">
      <p className="muted flush">
        {issue.owner}/{issue.repo} #{issue.number} · {b.issue.state}
        {b.issue.labels.length ? ` · ${b.issue.labels.join(", ")}` : ""}
      </p>
      <h1 id="bridge-title">{b.issue.title}</h1>
      <div className="row">
        <a className="button primary" href={githubHref(b, issue)} rel="noopener noreferrer">
          Open on GitHub
        </a>
      </div>

      <section aria-labelledby="verdict">
        <h2 id="verdict">Verdict</h2>
        <p className="row">
          <DifficultyBadge difficulty={v.difficulty} friendly={v.junior_friendly} />
          <span>Newcomer fit: {pct}%</span>
        </p>
        {v.reasons.length > 0 && (
          <ul>
            {v.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="prerequisites">
        <h2 id="prerequisites">Prerequisites</h2>
        {b.prerequisites.length === 0 ? (
          <p className="muted">No prerequisites found.</p>
        ) : (
          <ol>
            {b.prerequisites.map((p) => (
              <li key={p.concept}>
                <a href={conceptHref(p.concept)}>{p.name}</a>
                {p.why && <span className="muted"> — {p.why}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="architecture">
        <h2 id="architecture">Architecture</h2>
        {a.summary && <Markdown source={a.summary} />}
        {a.entry_point && (
          <p>
            Open first: <FileLink b={b} path={a.entry_point} />
          </p>
        )}
        <h3>Files a fix will likely touch</h3>
        {a.files.length === 0 ? (
          <p className="muted">No files were ranked.</p>
        ) : (
          <ol className="files">
            {a.files.map((f, i) => (
              <li key={f.path}>
                <span className="score" title="relevance">
                  {i + 1}.
                </span>{" "}
                <span className="path">
                  <FileLink b={b} path={f.path} />
                </span>{" "}
                <span className="muted">relevance {Math.round(f.score * 100)}%</span>
                {f.role && <p className="role">{f.role}</p>}
                {f.symbols.length > 0 && (
                  <ul className="symbols" aria-label={`Key symbols in ${f.path}`}>
                    {f.symbols.map((s) => (
                      <li key={`${s.name}:${s.line}`}>
                        <FileLink b={b} path={f.path} line={s.line}>
                          <code>{s.name}</code>
                          {s.line > 0 ? ` line ${s.line}` : ""}
                        </FileLink>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
        {a.relations.length > 0 && (
          <>
            <h3>How they relate</h3>
            <ul>
              {a.relations.map((r, i) => (
                <li key={i}>
                  <code>{r.from}</code> {r.kind} <code>{r.to}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        {a.read_these.length > 0 && (
          <>
            <h3>Read before changing anything</h3>
            <ul>
              {a.read_these.map((r) => (
                <li key={r.path}>
                  <FileLink b={b} path={r.path} /> <span className="muted">({r.kind})</span> {r.why}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="guide">
        <h2 id="guide">Guide</h2>
        <h3>Test command</h3>
        {g.test_command ? (
          <div className="cmdrow">
            <pre className="cmd">
              <code>{g.test_command}</code>
            </pre>
            <CopyButton text={g.test_command} label="Copy the test command" />
          </div>
        ) : (
          <p className="muted">No test command was found in the repository.</p>
        )}
        <ol className="steps">
          {g.steps.map((s, i) => (
            <li key={i}>
              <h3>{s.title}</h3>
              <Markdown source={s.detail} />
              {s.files.length > 0 && (
                <p className="meta">
                  Files:{" "}
                  {s.files.map((f) => (
                    <span key={f}>
                      <FileLink b={b} path={f} />
                    </span>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ol>
        {g.contributing.length > 0 && (
          <>
            <h3>Contribution rules</h3>
            <ul>
              {g.contributing.map((c) => (
                <li key={c.path}>
                  <FileLink b={b} path={c.path} />: {c.summary}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <p className="muted engine">
        Made by the {b.engine.kind === "llm" ? `language model ${b.engine.model ?? ""}` : "offline engine"}
        {b.engine.repo_commit ? ` at commit ${b.engine.repo_commit.slice(0, 12)}` : ""}.
      </p>
    </article>
  );
}
