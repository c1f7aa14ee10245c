// SPDX-License-Identifier: Apache-2.0
"use client";
// /projects: the projects IssueSight follows.
import { useEffect, useState } from "react";
import { listProjects, type Project } from "@/lib/api";
import { projectHref } from "@/lib/paths";
import { ErrorBox, Loading } from "./ui";

export function ProjectsPage() {
  const [items, setItems] = useState<Project[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    listProjects().then(setItems, setError);
  }, []);
  return (
    <>
      <h1>Projects</h1>
      {error ? (
        <ErrorBox error={error} />
      ) : items === null ? (
        <Loading what="projects" />
      ) : items.length === 0 ? (
        <p className="muted">No project is tracked yet.</p>
      ) : (
        <ul className="list">
          {items.map((p) => (
            <li key={`${p.owner}/${p.repo}`}>
              <a href={projectHref(p.owner, p.repo)}>
                {p.owner}/{p.repo}
              </a>
              {p.description && <p className="desc">{p.description}</p>}
              <div className="meta">
                {p.language && <span>{p.language}</span>}
                {p.open_issues !== null && <span>{p.open_issues} open issues</span>}
                {p.junior_friendly_issues !== null && <span>{p.junior_friendly_issues} junior-friendly</span>}
                {p.tracked && <span>tracked</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
