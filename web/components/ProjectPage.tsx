// SPDX-License-Identifier: Apache-2.0
"use client";
// /projects/{owner}/{repo}: one project, its concepts and its issues.
import { useEffect, useState } from "react";
import { ApiError, getProject, type ProjectDetail } from "@/lib/api";
import { conceptHref, parseProjectPath } from "@/lib/paths";
import { ErrorBox, IssueList, Loading, usePathname } from "./ui";

export function ProjectPage() {
  const path = usePathname();
  const [p, setP] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ref = path === null ? null : parseProjectPath(path);
  const key = ref ? `${ref.owner}/${ref.repo}` : null;

  useEffect(() => {
    if (!key) return;
    const [owner, repo] = key.split("/");
    document.title = `${key} · IssueSight`;
    getProject(owner, repo).then(setP, setError);
  }, [key]);

  if (path === null) return <Loading what="the project" />;
  if (!ref || (error instanceof ApiError && error.status === 404))
    return (
      <>
        <h1>Unknown project</h1>
        <p>
          IssueSight does not follow a project at this address. <a href="/projects">See all projects</a>.
        </p>
      </>
    );
  if (error) return <ErrorBox error={error} />;
  if (!p) return <Loading what="the project" />;
  return (
    <>
      <p className="muted flush">
        <a href="/projects">Projects</a>
      </p>
      <h1>
        {p.owner}/{p.repo}
      </h1>
      {p.description && <p className="lead">{p.description}</p>}
      <div className="meta">
        {p.language && <span>{p.language}</span>}
        {p.open_issues !== null && <span>{p.open_issues} open issues</span>}
        <a href={`https://github.com/${encodeURIComponent(p.owner)}/${encodeURIComponent(p.repo)}`}>on GitHub</a>
        <a href={`/discover?project=${encodeURIComponent(`${p.owner}/${p.repo}`)}`}>in Discover</a>
      </div>
      {p.concepts.length > 0 && (
        <section aria-labelledby="concepts">
          <h2 id="concepts">Concepts</h2>
          <ul className="symbols">
            {p.concepts.map((c) => (
              <li key={c.slug}>
                <a href={conceptHref(c.slug)}>{c.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="issues">
        <h2 id="issues">Issues</h2>
        <IssueList issues={p.issues} empty="No issue collected yet." />
      </section>
    </>
  );
}
