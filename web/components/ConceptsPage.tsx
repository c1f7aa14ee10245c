// SPDX-License-Identifier: Apache-2.0
"use client";
// /concepts: the concept catalog as a tree.
import { useEffect, useState } from "react";
import { listConcepts, type ConceptNode } from "@/lib/api";
import { conceptHref } from "@/lib/paths";
import { ErrorBox, Loading } from "./ui";

function Tree({ nodes, parent, depth }: { nodes: ConceptNode[]; parent: string | null; depth: number }) {
  const kids = nodes.filter((n) => n.parent === parent);
  if (!kids.length || depth > 12) return null;
  return (
    <ul>
      {kids.map((n) => (
        <li key={n.slug}>
          <a href={conceptHref(n.slug)}>{n.name}</a>
          <Tree nodes={nodes} parent={n.slug} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}

export function ConceptsPage() {
  const [nodes, setNodes] = useState<ConceptNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    listConcepts().then(setNodes, setError);
  }, []);
  // Concepts whose parent is not in the list are shown as roots.
  const known = new Set(nodes?.map((n) => n.slug));
  const fixed = nodes?.map((n) => (n.parent && !known.has(n.parent) ? { ...n, parent: null } : n)) ?? [];
  return (
    <>
      <h1>Concepts</h1>
      <p className="lead">What newcomers learn on the way to a first contribution, from foundational to specific.</p>
      {error ? <ErrorBox error={error} /> : nodes === null ? <Loading what="concepts" /> : <Tree nodes={fixed} parent={null} depth={0} />}
    </>
  );
}
