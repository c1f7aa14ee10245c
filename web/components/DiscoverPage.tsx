// SPDX-License-Identifier: Apache-2.0
"use client";
// Discover: junior-friendly issues filtered by concept, language, project and
// difficulty, newest activity first (the API's order), with keyset paging.
// The filters live in the address (?concept=...) so a view can be shared.
import { useCallback, useEffect, useState } from "react";
import {
  listConcepts,
  listIssues,
  listProjects,
  type ConceptNode,
  type IssueSummary,
  type Project,
} from "@/lib/api";
import { ErrorBox, IssueList, Loading } from "./ui";

interface Filters {
  junior_friendly: boolean;
  difficulty: string;
  concept: string;
  project: string;
  language: string;
}

const KEYS = ["difficulty", "concept", "project", "language"] as const;

function fromSearch(search: string): Filters {
  const q = new URLSearchParams(search);
  return {
    junior_friendly: q.get("junior_friendly") !== "false",
    difficulty: q.get("difficulty") ?? "",
    concept: q.get("concept") ?? "",
    project: q.get("project") ?? "",
    language: q.get("language") ?? "",
  };
}

function toSearch(f: Filters): string {
  const q = new URLSearchParams();
  if (!f.junior_friendly) q.set("junior_friendly", "false");
  for (const k of KEYS) if (f[k]) q.set(k, f[k]);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function DiscoverPage() {
  const [filters, setFilters] = useState<Filters | null>(null);
  const [items, setItems] = useState<IssueSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);
  const [concepts, setConcepts] = useState<ConceptNode[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);

  useEffect(() => {
    setFilters(fromSearch(window.location.search));
    listConcepts().then(setConcepts, () => setConcepts([]));
    listProjects().then(setProjects, () => setProjects([]));
  }, []);

  const fetchPage = useCallback(async (f: Filters, after: string | null) => {
    const page = await listIssues({
      junior_friendly: f.junior_friendly ? true : undefined,
      difficulty: f.difficulty,
      concept: f.concept,
      project: f.project,
      language: f.language,
      cursor: after,
    });
    return page;
  }, []);

  useEffect(() => {
    if (!filters) return;
    let live = true;
    setItems(null);
    setError(null);
    window.history.replaceState(null, "", `/discover${toSearch(filters)}`);
    fetchPage(filters, null).then(
      (p) => {
        if (!live) return;
        setItems(p.items);
        setCursor(p.next_cursor);
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [filters, fetchPage]);

  const loadMore = async () => {
    if (!filters || !cursor) return;
    setMore(true);
    try {
      const p = await fetchPage(filters, cursor);
      setItems((old) => [...(old ?? []), ...p.items]);
      setCursor(p.next_cursor);
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  };

  const set = (k: keyof Filters, v: string | boolean) => setFilters((f) => (f ? { ...f, [k]: v } : f));
  const languages = Array.from(new Set(projects.map((p) => p.language).filter((l): l is string => !!l))).sort();
  if (filters?.language && !languages.includes(filters.language)) languages.push(filters.language);

  return (
    <>
      <h1>Discover</h1>
      <p className="lead">Open issues a newcomer can take on, most recently active first.</p>
      {filters && (
        <form className="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="f-concept">Concept</label>
            <select id="f-concept" value={filters.concept} onChange={(e) => set("concept", e.target.value)}>
              <option value="">Any concept</option>
              {filters.concept && !concepts.some((c) => c.slug === filters.concept) && (
                <option value={filters.concept}>{filters.concept}</option>
              )}
              {concepts.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-language">Language</label>
            <select id="f-language" value={filters.language} onChange={(e) => set("language", e.target.value)}>
              <option value="">Any language</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-project">Project</label>
            <select id="f-project" value={filters.project} onChange={(e) => set("project", e.target.value)}>
              <option value="">Any project</option>
              {filters.project && !projects.some((p) => `${p.owner}/${p.repo}` === filters.project) && (
                <option value={filters.project}>{filters.project}</option>
              )}
              {projects.map((p) => (
                <option key={`${p.owner}/${p.repo}`} value={`${p.owner}/${p.repo}`}>
                  {p.owner}/{p.repo}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-difficulty">Difficulty</label>
            <select id="f-difficulty" value={filters.difficulty} onChange={(e) => set("difficulty", e.target.value)}>
              <option value="">Any difficulty</option>
              <option value="beginner">Beginner</option>
              <option value="intermediate">Intermediate</option>
              <option value="advanced">Advanced</option>
            </select>
          </div>
          <div className="field check">
            <input
              id="f-junior"
              type="checkbox"
              checked={filters.junior_friendly}
              onChange={(e) => set("junior_friendly", e.target.checked)}
            />
            <label htmlFor="f-junior">Junior-friendly only</label>
          </div>
        </form>
      )}
      <section aria-labelledby="results" aria-busy={items === null}>
        <h2 id="results">Issues</h2>
        {error !== null && <ErrorBox error={error} />}
        {items === null && error === null ? (
          <Loading what="issues" />
        ) : (
          items !== null && <IssueList issues={items} empty="No issue matches these filters." />
        )}
        {cursor && (
          <button type="button" onClick={loadMore} disabled={more}>
            {more ? "Loading…" : "Show more"}
          </button>
        )}
      </section>
    </>
  );
}
