// SPDX-License-Identifier: Apache-2.0
//
// The one module that talks to the gateway's HTTP API (/api/v1). Every page
// goes through it; its types are the UI's picture of docs/openapi.yaml and
// docs/bridge.schema.json. Requests are same-origin (the gateway serves the
// UI), carry the session cookie, and send the CSRF token on changes.

/* ---------- the Context Bridge (docs/bridge.schema.json, 1.0) ---------- */

export type Difficulty = "beginner" | "intermediate" | "advanced";

export interface Bridge {
  schema_version: string;
  issue: {
    repo: string;
    number: number | null;
    title: string;
    url: string | null;
    state: "open" | "closed" | "unknown";
    labels: string[];
  };
  verdict: {
    junior_friendly: boolean;
    difficulty: Difficulty;
    score: number;
    reasons: string[];
  };
  prerequisites: { concept: string; name: string; why: string }[];
  architecture: {
    summary: string;
    entry_point: string | null;
    files: {
      path: string;
      role: string;
      score: number;
      symbols: { name: string; line: number }[];
    }[];
    relations: { from: string; to: string; kind: "imports" | "tests" | "documents" }[];
    read_these: { path: string; kind: "test" | "doc" | "example"; why: string }[];
  };
  guide: {
    steps: { title: string; detail: string; files: string[] }[];
    test_command: string | null;
    contributing: { path: string; summary: string }[];
  };
  engine: {
    kind: "offline" | "llm";
    model: string | null;
    repo_commit: string | null;
    prompt_tokens: number;
    completion_tokens: number;
  };
}

export type BridgeStatus = "QUEUED" | "PENDING" | "COMPLETED" | "FAILED";

/** What GET /api/v1/bridges/{o}/{r}/{n} says, as one value. */
export type BridgeState =
  | { kind: "completed"; bridge: Bridge }
  | { kind: "pending"; status: BridgeStatus; stage: string | null }
  | { kind: "failed"; reason: string }
  | { kind: "unknown" };

/* ---------- the rest of the API ---------- */

export interface Quota {
  limit: number | null; // null: unlimited (admins)
  used: number;
  remaining: number | null;
  reset_at: string | null; // ISO 8601: when the next slot frees
}

export interface IssueSummary {
  owner: string;
  repo: string;
  number: number;
  title: string;
  url: string | null;
  state: string;
  language: string | null;
  difficulty: Difficulty | null;
  junior_friendly: boolean | null;
  concepts: string[];
  last_activity_at: string | null;
  assignee: string | null | undefined; // undefined: the answer does not say
  bridge_status: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ConceptRef {
  slug: string;
  name: string;
}

export interface ConceptNode extends ConceptRef {
  parent: string | null;
  description?: string;
}

export interface ConceptDetail extends ConceptRef {
  description: string;
  parent: ConceptRef | null;
  children: ConceptRef[];
  issues: IssueSummary[];
}

export interface Project {
  owner: string;
  repo: string;
  description: string | null;
  language: string | null;
  tracked: boolean;
  open_issues: number | null;
  junior_friendly_issues: number | null;
}

export interface ProjectDetail extends Project {
  issues: IssueSummary[];
  concepts: ConceptRef[];
}

export interface Me {
  id: string;
  login: string;
  email: string | null;
  admin: boolean;
  csrf_token: string | null;
}

export interface Tutorial {
  owner: string;
  repo: string;
  number: number;
  title: string | null;
  status: string;
  is_original_requester: boolean;
  created_at: string | null;
}

export interface ApiToken {
  id: string;
  name: string | null;
  created_at: string | null;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface BridgeSummary {
  owner: string;
  repo: string;
  number: number;
  title: string;
  difficulty: Difficulty | null;
  junior_friendly: boolean | null;
  status: string;
}

/** An error the API returned ({"error": {"code", "message"}}) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: number | null;
  readonly quota: Quota | null;
  constructor(status: number, code: string, message: string, retryAfter: number | null = null, quota: Quota | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.quota = quota;
  }
}

/* ---------- tolerant readers of untrusted JSON ---------- */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const difficulty = (v: unknown): Difficulty | null =>
  v === "beginner" || v === "intermediate" || v === "advanced" ? v : null;

/** Splits "owner/repo" into its parts (null when it is not of that form). */
function splitRepo(full: unknown): [string, string] | null {
  const s = str(full);
  if (!s) return null;
  const i = s.indexOf("/");
  return i > 0 && i < s.length - 1 ? [s.slice(0, i), s.slice(i + 1)] : null;
}

function ownerRepo(j: Json): [string, string] {
  const owner = str(j.owner);
  const repo = str(j.repo) ?? str(j.name);
  if (owner && repo && !repo.includes("/")) return [owner, repo];
  return splitRepo(j.full_name) ?? splitRepo(j.repo) ?? splitRepo(j.project) ?? ["", ""];
}

/** The ISO time `s` seconds from now (quota answers may count seconds). */
const inSeconds = (s: number | null): string | null => (s !== null && s > 0 ? new Date(Date.now() + s * 1000).toISOString() : null);

export function readQuota(v: unknown): Quota | null {
  const j = obj(v);
  const q = Object.keys(j).length ? j : null;
  if (!q) return null;
  const limit = num(q.limit) ?? num(q.per_day);
  const used = num(q.used) ?? 0;
  return {
    limit,
    used,
    remaining: num(q.remaining) ?? (limit === null ? null : Math.max(0, limit - used)),
    reset_at: str(q.reset_at) ?? str(q.resets_at) ?? str(q.next_slot_at) ?? inSeconds(num(q.retry_after_s) ?? num(q.reset_in_s)),
  };
}

export function readIssue(v: unknown): IssueSummary {
  const j = obj(v);
  const [owner, repo] = ownerRepo(j);
  return {
    owner,
    repo,
    number: num(j.number) ?? 0,
    title: str(j.title) ?? "",
    url: str(j.url) ?? str(j.html_url),
    state: str(j.state) ?? "unknown",
    language: str(j.language),
    difficulty: difficulty(j.difficulty),
    junior_friendly: bool(j.junior_friendly),
    concepts: arr(j.concepts).map((c) => str(c) ?? str(obj(c).slug) ?? "").filter(Boolean),
    last_activity_at: str(j.last_activity_at) ?? str(j.gh_updated_at) ?? str(j.updated_at),
    assignee: "assignee" in j ? (str(j.assignee) ?? str(obj(j.assignee).login)) : undefined,
    bridge_status: str(j.bridge_status) ?? str(j.status),
  };
}

function readConceptRef(v: unknown): ConceptRef | null {
  const j = obj(v);
  const slug = str(j.slug) ?? str(v);
  return slug ? { slug, name: str(j.name) ?? slug } : null;
}

function readProject(v: unknown): Project {
  const j = obj(v);
  const [owner, repo] = ownerRepo(j);
  return {
    owner,
    repo,
    description: str(j.description),
    language: str(j.language),
    tracked: bool(j.tracked) ?? false,
    open_issues: num(j.open_issues) ?? num(j.open_issues_count),
    junior_friendly_issues: num(j.junior_friendly_issues),
  };
}

function readBridgeSummary(v: unknown): BridgeSummary {
  const j = obj(v);
  const [owner, repo] = ownerRepo(j);
  return {
    owner,
    repo,
    number: num(j.number) ?? 0,
    title: str(j.title) ?? "",
    difficulty: difficulty(j.difficulty),
    junior_friendly: bool(j.junior_friendly),
    status: str(j.status) ?? "COMPLETED",
  };
}

/** Items of a list answer: a bare array or {items|<key>: [...]}. */
function listOf(v: unknown, key: string): unknown[] {
  if (Array.isArray(v)) return v;
  const j = obj(v);
  return arr(j.items ?? j[key]);
}

/** Reads a bridge GET answer (any status code) into a BridgeState. */
export function readBridgeState(httpStatus: number, body: unknown): BridgeState {
  const j = obj(body);
  if (httpStatus === 404) return { kind: "unknown" };
  if (j.schema_version && j.verdict) return { kind: "completed", bridge: j as unknown as Bridge };
  if (obj(j.bridge).schema_version) return { kind: "completed", bridge: j.bridge as Bridge };
  const status = (str(j.status) ?? "").toUpperCase();
  if (status === "FAILED")
    return { kind: "failed", reason: str(j.reason) ?? str(j.failure_reason) ?? str(obj(j.error).message) ?? "The generation failed." };
  if (status === "PENDING" || status === "QUEUED" || httpStatus === 202)
    return { kind: "pending", status: (status || "PENDING") as BridgeStatus, stage: str(j.stage) ?? str(j.progress) };
  throw new ApiError(httpStatus, "bad_response", "The server sent an answer this page does not understand.");
}

/* ---------- transport ---------- */

let csrfToken: string | null = null;

/** The CSRF token for cookie-authenticated changes: from /me, else the cookie. */
function csrf(): string | null {
  if (csrfToken) return csrfToken;
  if (typeof document === "undefined") return null;
  const m = /(?:^|;\s*)(?:isg_csrf|csrf_token)=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : null;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: Json = {};
  try {
    body = obj(await res.json());
  } catch {
    /* not JSON: keep the status line */
  }
  const e = obj(body.error);
  const ra = res.headers.get("Retry-After");
  const retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : null;
  const message = str(e.message) ?? `The server answered ${res.status} ${res.statusText}.`;
  return new ApiError(res.status, str(e.code) ?? String(res.status), message, retryAfter, readQuota(body.quota ?? e.quota));
}

/** Percent-encodes each path segment: names come from the address bar. */
export const seg = (s: string | number) => encodeURIComponent(String(s));

/**
 * The session's CSRF token from GET /api/v1/auth/session ({"csrf"}), read
 * once before the first change; null without a session (a token-only
 * caller needs none).
 */
async function ensureCsrf(): Promise<string | null> {
  const have = csrf();
  if (have) return have;
  try {
    const res = await fetch("/api/v1/auth/session", { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (res.ok) csrfToken = str(obj(await res.json()).csrf) ?? csrfToken;
  } catch {
    /* the change itself will report the failure */
  }
  return csrfToken;
}

async function request(method: string, path: string, body?: unknown, accept = "application/json"): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const t = await ensureCsrf();
    if (t) headers["X-CSRF-Token"] = t;
  }
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection and try again.");
  }
}

async function getJson(path: string): Promise<unknown> {
  const res = await request("GET", path);
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}

/* ---------- endpoints ---------- */

const bridgePath = (o: string, r: string, n: number) => `/api/v1/bridges/${seg(o)}/${seg(r)}/${seg(n)}`;

export async function getBridge(owner: string, repo: string, n: number): Promise<BridgeState> {
  const res = await request("GET", bridgePath(owner, repo, n));
  if (res.status === 404) return { kind: "unknown" };
  if (!res.ok && res.status !== 202) {
    let body: unknown = null;
    try {
      body = await res.clone().json();
    } catch {
      /* fall through */
    }
    if ((str(obj(body).status) ?? "").toUpperCase() === "FAILED") return readBridgeState(res.status, body);
    throw await errorFrom(res);
  }
  return readBridgeState(res.status, await res.json());
}

/** The server-sent events address of a bridge's status changes. */
export const bridgeEventsUrl = (o: string, r: string, n: number) => `${bridgePath(o, r, n)}/events`;

export interface Submitted {
  state: BridgeState;
  location: string | null;
}

/** POST /api/v1/bridges: asks for (or unlocks) the bridge of an issue reference. */
export async function submitBridge(issue: string): Promise<Submitted> {
  const res = await request("POST", "/api/v1/bridges", { issue });
  if (res.status !== 200 && res.status !== 202) throw await errorFrom(res);
  const body = await res.json().catch(() => ({}));
  let state: BridgeState;
  try {
    state = readBridgeState(res.status, body);
  } catch {
    state = { kind: "pending", status: "PENDING", stage: null };
  }
  return { state, location: res.headers.get("Location") };
}

export async function listIssues(f: {
  junior_friendly?: boolean;
  difficulty?: string;
  concept?: string;
  project?: string;
  language?: string;
  cursor?: string | null;
}): Promise<Page<IssueSummary>> {
  const q = new URLSearchParams();
  if (f.junior_friendly !== undefined) q.set("junior_friendly", String(f.junior_friendly));
  for (const k of ["difficulty", "concept", "project", "language", "cursor"] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  const j = await getJson(`/api/v1/issues?${q}`);
  return { items: listOf(j, "issues").map(readIssue), next_cursor: str(obj(j).next_cursor) };
}

export async function listConcepts(): Promise<ConceptNode[]> {
  const j = await getJson("/api/v1/concepts");
  const out: ConceptNode[] = [];
  // A flat list with parent slugs, or a tree with children: flatten both.
  const walk = (v: unknown, parent: string | null) => {
    const c = obj(v);
    const slug = str(c.slug);
    if (!slug) return;
    const p = str(c.parent) ?? str(obj(c.parent).slug) ?? parent;
    out.push({ slug, name: str(c.name) ?? slug, parent: p, description: str(c.description) ?? undefined });
    for (const ch of arr(c.children)) if (obj(ch).slug) walk(ch, slug);
  };
  for (const c of listOf(j, "concepts")) walk(c, null);
  return out;
}

/**
 * GET /api/v1/concepts/{slug}: {"concept": {slug, name, description,
 * children, parent}, "issues": {"items": [...]}}. An answer that names no
 * parent (an older gateway) has it found in the catalog tree.
 */
export async function getConcept(slug: string): Promise<ConceptDetail> {
  const top = obj(await getJson(`/api/v1/concepts/${seg(slug)}`));
  const j = top.concept ? obj(top.concept) : top;
  let parent = j.parent ? readConceptRef(j.parent) : null;
  if (!j.parent) {
    const all = await listConcepts().catch(() => [] as ConceptNode[]);
    const p = all.find((c) => c.slug === slug)?.parent;
    const node = p ? all.find((c) => c.slug === p) : undefined;
    parent = node ? { slug: node.slug, name: node.name } : null;
  }
  return {
    slug: str(j.slug) ?? slug,
    name: str(j.name) ?? slug,
    description: str(j.description) ?? "",
    parent,
    children: arr(j.children).map(readConceptRef).filter((c): c is ConceptRef => c !== null),
    issues: listOf(top.issues, "issues").map(readIssue),
  };
}

export async function listProjects(): Promise<Project[]> {
  return listOf(await getJson("/api/v1/projects"), "projects").map(readProject);
}

export async function getProject(owner: string, repo: string): Promise<ProjectDetail> {
  let j: Json;
  try {
    j = obj(await getJson(`/api/v1/projects/${seg(owner)}/${seg(repo)}`));
  } catch (e) {
    // A gateway without the project route: the project from the list, its
    // issues from the issue list.
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
    const full = `${owner}/${repo}`.toLowerCase();
    const p = (await listProjects()).find((x) => `${x.owner}/${x.repo}`.toLowerCase() === full);
    if (!p) throw e;
    const page = await listIssues({ project: `${p.owner}/${p.repo}` });
    return { ...p, issues: page.items, concepts: [] };
  }
  const p = readProject(j.project ?? j);
  return {
    ...p,
    owner: p.owner || owner,
    repo: p.repo || repo,
    // The gateway answers a page {"items": [...], "next_cursor"}.
    issues: listOf(j.issues, "issues").map(readIssue),
    concepts: arr(j.concepts).map(readConceptRef).filter((c): c is ConceptRef => c !== null),
  };
}

/**
 * GET /api/v1/bridges?sort=recent|popular. A gateway that does not list
 * bridges (404, 405) gives the recent ones as the completed bridges of the
 * issue list (newest activity first); popular ones then stay unknown (the
 * ApiError is passed on).
 */
export async function listBridges(sort: "recent" | "popular"): Promise<BridgeSummary[]> {
  try {
    return listOf(await getJson(`/api/v1/bridges?sort=${sort}`), "bridges").map(readBridgeSummary);
  } catch (e) {
    if (sort !== "recent" || !(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
  }
  const page = await listIssues({});
  return page.items
    .filter((i) => (i.bridge_status ?? "").toUpperCase() === "COMPLETED")
    .map((i) => ({ owner: i.owner, repo: i.repo, number: i.number, title: i.title, difficulty: i.difficulty, junior_friendly: i.junior_friendly, status: "COMPLETED" }));
}

/** The signed-in user, or null when nobody is signed in. */
export async function getMe(): Promise<Me | null> {
  const res = await request("GET", "/api/v1/me");
  if (res.status === 401) return null;
  if (!res.ok) throw await errorFrom(res);
  const j = obj(await res.json());
  const u = obj(j.user ?? j);
  csrfToken = str(j.csrf_token) ?? str(u.csrf_token) ?? csrfToken;
  return {
    id: str(u.id) ?? "",
    login: str(u.login) ?? "",
    email: str(u.email),
    admin: bool(u.admin) ?? bool(u.is_admin) ?? false,
    csrf_token: csrfToken,
  };
}

export async function getQuota(): Promise<Quota | null> {
  const j = obj(await getJson("/api/v1/me/quota"));
  return readQuota(j.quota ?? j);
}

export async function listTutorials(): Promise<Tutorial[]> {
  return listOf(await getJson("/api/v1/me/tutorials"), "tutorials").map((v) => {
    const j = obj(v);
    const [owner, repo] = ownerRepo(j);
    return {
      owner,
      repo,
      number: num(j.number) ?? 0,
      title: str(j.title),
      status: str(j.status) ?? "",
      is_original_requester: bool(j.is_original_requester) ?? false,
      created_at: str(j.created_at) ?? str(j.unlocked_at),
    };
  });
}

export async function listTokens(): Promise<ApiToken[]> {
  return listOf(await getJson("/api/v1/me/tokens"), "tokens").map((v) => {
    const j = obj(v);
    return {
      id: str(j.id) ?? "",
      name: str(j.name),
      created_at: str(j.created_at),
      last_used_at: str(j.last_used_at),
      expires_at: str(j.expires_at),
    };
  });
}

/** Creates an API token; the secret is in the answer once and never again. */
export async function createToken(name: string): Promise<{ id: string; token: string }> {
  const res = await request("POST", "/api/v1/me/tokens", { name });
  if (!res.ok) throw await errorFrom(res);
  const j = obj(await res.json());
  return { id: str(j.id) ?? "", token: str(j.token) ?? "" };
}

export async function revokeToken(id: string): Promise<void> {
  const res = await request("DELETE", `/api/v1/me/tokens/${seg(id)}`);
  if (!res.ok && res.status !== 204) throw await errorFrom(res);
}

/** Where the sign-in buttons go; the gateway comes back to `returnTo`. */
export const loginUrl = (provider: "github" | "google", returnTo: string) =>
  `/api/v1/auth/${provider}/login?return_to=${encodeURIComponent(returnTo)}`;

export async function logout(): Promise<void> {
  const res = await request("POST", "/api/v1/auth/logout");
  if (!res.ok && res.status !== 204) throw await errorFrom(res);
  csrfToken = null;
}
