// SPDX-License-Identifier: Apache-2.0
"use client";
// /concepts/{slug}: description, parent and children, issues that exercise it.
import { useEffect, useState } from "react";
import { ApiError, getConcept, type ConceptDetail } from "@/lib/api";
import { conceptHref, parseConceptPath } from "@/lib/paths";
import { ErrorBox, IssueList, Loading, usePathname } from "./ui";

export function ConceptPage() {
  const path = usePathname();
  const [c, setC] = useState<ConceptDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const slug = path === null ? null : parseConceptPath(path);

  useEffect(() => {
    if (!slug) return;
    getConcept(slug).then(
      (d) => {
        setC(d);
        document.title = `${d.name} · IssueSight`;
      },
      setError,
    );
  }, [slug]);

  if (path === null) return <Loading what="the concept" />;
  if (!slug || (error instanceof ApiError && error.status === 404))
    return (
      <>
        <h1>Unknown concept</h1>
        <p>
          There is no concept at this address. <a href="/concepts">See all concepts</a>.
        </p>
      </>
    );
  if (error) return <ErrorBox error={error} />;
  if (!c) return <Loading what="the concept" />;
  return (
    <>
      <p className="muted flush">
        <a href="/concepts">Concepts</a>
        {c.parent && (
          <>
            {" "}
            › <a href={conceptHref(c.parent.slug)}>{c.parent.name}</a>
          </>
        )}
      </p>
      <h1>{c.name}</h1>
      <p>{c.description || <span className="muted">No description yet.</span>}</p>
      <div className="grid2">
        <section aria-labelledby="parent">
          <h2 id="parent">Builds on</h2>
          {c.parent ? (
            <a href={conceptHref(c.parent.slug)}>{c.parent.name}</a>
          ) : (
            <p className="muted">Nothing: this is a foundational concept.</p>
          )}
        </section>
        <section aria-labelledby="children">
          <h2 id="children">More specific concepts</h2>
          {c.children.length ? (
            <ul>
              {c.children.map((ch) => (
                <li key={ch.slug}>
                  <a href={conceptHref(ch.slug)}>{ch.name}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None.</p>
          )}
        </section>
      </div>
      <section aria-labelledby="issues">
        <h2 id="issues">Issues that exercise it</h2>
        <IssueList issues={c.issues} empty="No issue uses this concept yet." />
        <p>
          <a href={`/discover?concept=${encodeURIComponent(c.slug)}`}>Filter Discover by this concept</a>
        </p>
      </section>
    </>
  );
}
