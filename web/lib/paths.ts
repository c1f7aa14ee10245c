// SPDX-License-Identifier: Apache-2.0
//
// The UI's addresses: reading an issue reference a user typed, reading the
// parameters of the shell pages from window.location, and building links to
// our pages and to GitHub. Everything that lands in an href passes through
// here, so names are checked and percent-encoded in one place.

export interface IssueRef {
  owner: string;
  repo: string;
  number: number;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export const validOwner = (s: string) => OWNER.test(s);
export const validRepo = (s: string) => REPO.test(s) && s !== "." && s !== "..";

function issueRef(owner: string, repo: string, n: string): IssueRef | null {
  if (!validOwner(owner) || !validRepo(repo) || !/^[1-9][0-9]{0,15}$/.test(n)) return null;
  const number = Number(n);
  return Number.isSafeInteger(number) ? { owner, repo, number } : null;
}

/**
 * Reads "https://github.com/o/r/issues/N", our own "/o/r/issues/N" address,
 * or "o/r#N" (surrounding spaces allowed). Null for anything else.
 */
export function parseIssueInput(input: string): IssueRef | null {
  const s = input.trim();
  let m = /^([^/#\s]+)\/([^/#\s]+)#(\d+)$/.exec(s);
  if (m) return issueRef(m[1], m[2], m[3]);
  m = /^(?:https?:\/\/(?:www\.)?github\.com)?\/([^/\s]+)\/([^/\s]+)\/issues\/(\d+)\/?(?:[?#].*)?$/.exec(s);
  if (m) return issueRef(m[1], m[2], m[3]);
  return null;
}

/** The bridge page's parameters from a path "/o/r/issues/N". */
export function parseBridgePath(pathname: string): IssueRef | null {
  const m = /^\/([^/]+)\/([^/]+)\/issues\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    return issueRef(decodeURIComponent(m[1]), decodeURIComponent(m[2]), decodeURIComponent(m[3]));
  } catch {
    return null;
  }
}

/** The slug of "/concepts/{slug}". */
export function parseConceptPath(pathname: string): string | null {
  const m = /^\/concepts\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(pathname);
  return m ? m[1] : null;
}

/** Owner and repository of "/projects/{owner}/{repo}". */
export function parseProjectPath(pathname: string): { owner: string; repo: string } | null {
  const m = /^\/projects\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    const owner = decodeURIComponent(m[1]);
    const repo = decodeURIComponent(m[2]);
    return validOwner(owner) && validRepo(repo) ? { owner, repo } : null;
  } catch {
    return null;
  }
}

const e = encodeURIComponent;

export const bridgeHref = (r: IssueRef) => `/${e(r.owner)}/${e(r.repo)}/issues/${r.number}`;
export const conceptHref = (slug: string) => `/concepts/${e(slug)}`;
export const projectHref = (owner: string, repo: string) => `/projects/${e(owner)}/${e(repo)}`;
export const githubIssueHref = (r: IssueRef) => `https://github.com/${e(r.owner)}/${e(r.repo)}/issues/${r.number}`;

/** A commit GitHub can show: a git object id, else the default branch. */
function githubRef(commit: string | null): string {
  return commit && /^[0-9a-f]{7,64}$/i.test(commit) ? commit : "HEAD";
}

/**
 * A file (and line) on GitHub at the bridge's recorded commit:
 * https://github.com/o/r/blob/<commit>/<path>#L<line>. Null when the
 * repository name is not a valid "owner/name" or the path leaves the tree.
 */
export function githubFileHref(repo: string, commit: string | null, path: string, line?: number): string | null {
  const [owner, name, ...rest] = repo.split("/");
  if (rest.length || !owner || !name || !validOwner(owner) || !validRepo(name)) return null;
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (!parts.length || parts.includes("..")) return null;
  const anchor = line && line > 0 ? `#L${line}` : "";
  return `https://github.com/${e(owner)}/${e(name)}/blob/${e(githubRef(commit))}/${parts.map(e).join("/")}${anchor}`;
}
