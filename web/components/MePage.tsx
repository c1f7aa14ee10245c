// SPDX-License-Identifier: Apache-2.0
"use client";
// /me: my tutorials, my quota with its reset time, my API tokens; sign in
// with GitHub or Google; sign out.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import {
  createToken,
  getMe,
  getQuota,
  listTokens,
  listTutorials,
  logout,
  revokeToken,
  type ApiToken,
  type Me,
  type Quota,
  type Tutorial,
} from "@/lib/api";
import { bridgeHref } from "@/lib/paths";
import { CopyButton } from "./BridgeDocument";
import { ErrorBox, Loading, QuotaMeter, SignInButtons, Time } from "./ui";

function Tokens() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<string | null>(null);
  const reload = useCallback(() => listTokens().then(setTokens, setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const create = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      const t = await createToken(name.trim() || "web");
      setFresh(t.token);
      setName("");
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await revokeToken(id);
      await reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="tokens">
      <h2 id="tokens">API tokens</h2>
      <p className="muted">
        Scripts send a token as <code>Authorization: Bearer TOKEN</code>.
      </p>
      {error !== null && <ErrorBox error={error} />}
      {fresh && (
        <div className="alert info" role="status">
          <p className="first">Your new token. Copy it now: it is not shown again.</p>
          <div className="cmdrow">
            <code className="secret">{fresh}</code>
            <CopyButton text={fresh} label="Copy the new token" />
          </div>
        </div>
      )}
      <form className="submit" onSubmit={create}>
        <div className="field">
          <label htmlFor="token-name">Name of a new token</label>
          <input id="token-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="laptop script" />
        </div>
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
      {tokens === null ? (
        <Loading what="tokens" />
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name ?? t.id}</td>
                <td>
                  <Time iso={t.created_at} />
                </td>
                <td>{t.last_used_at ? <Time iso={t.last_used_at} /> : "never"}</td>
                <td>
                  <button type="button" onClick={() => revoke(t.id)} aria-label={`Revoke token ${t.name ?? t.id}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function MePage() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [quota, setQuota] = useState<Quota | null>(null);
  const [tutorials, setTutorials] = useState<Tutorial[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getMe().then(
      (u) => {
        setMe(u);
        if (!u) return;
        getQuota().then(setQuota, setError);
        listTutorials().then(setTutorials, setError);
      },
      (e) => {
        setError(e);
        setMe(null);
      },
    );
  }, []);

  const signOut = async () => {
    try {
      await logout();
      window.location.assign("/");
    } catch (e) {
      setError(e);
    }
  };

  if (me === undefined) return <Loading what="your account" />;
  if (me === null)
    return (
      <>
        <h1>Sign in</h1>
        {error !== null && <ErrorBox error={error} />}
        <p>Sign in to request new bridges, keep your tutorials and create API tokens.</p>
        <SignInButtons next="/me" />
      </>
    );
  return (
    <>
      <div className="row spread">
        <h1>{me.login}</h1>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
      {me.email && <p className="muted">{me.email}</p>}
      {error !== null && <ErrorBox error={error} />}
      <section aria-labelledby="quota">
        <h2 id="quota">Quota</h2>
        {quota ? <QuotaMeter quota={quota} /> : <Loading what="your quota" />}
      </section>
      <section aria-labelledby="tutorials">
        <h2 id="tutorials">My tutorials</h2>
        {tutorials === null ? (
          <Loading what="your tutorials" />
        ) : tutorials.length === 0 ? (
          <p className="muted">
            None yet. <a href="/">Open a bridge</a> or <a href="/discover">discover an issue</a>.
          </p>
        ) : (
          <ul className="list">
            {tutorials.map((t) => (
              <li key={`${t.owner}/${t.repo}#${t.number}`}>
                <a href={bridgeHref(t)}>{t.title || `${t.owner}/${t.repo}#${t.number}`}</a>
                <div className="meta">
                  <span>
                    {t.owner}/{t.repo}#{t.number}
                  </span>
                  <span>{t.status}</span>
                  <span>{t.is_original_requester ? "requested by you" : "unlocked"}</span>
                  {t.created_at && (
                    <span>
                      <Time iso={t.created_at} />
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Tokens />
    </>
  );
}
