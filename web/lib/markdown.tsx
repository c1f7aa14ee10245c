// SPDX-License-Identifier: Apache-2.0
//
// Markdown from GitHub and from the model is untrusted. This renderer is the
// sanitizer: it turns the text into React elements (never into HTML that the
// browser parses), so raw HTML such as <script> or <img onerror> stays literal
// text, no attribute but href is ever set, and an href is set only for
// http:, https: and mailto: addresses (javascript:, data:, vbscript:,
// relative and protocol-relative ones are shown as text). Images are shown as
// their alternative text: the page loads nothing from outside.
//
// Supported: paragraphs, ATX headings (shown one level below the page's
// sections), fenced and indented code, block quotes, bullet and numbered
// lists, inline code, **strong**, *emphasis*, [links](url), <autolinks>.
import { Fragment, type ReactNode } from "react";

/** The address when it is safe to link to, else null. */
export function safeUrl(raw: string): string | null {
  // Browsers drop ASCII tab/newline and leading controls/spaces before
  // reading the scheme: do the same before checking it.
  // eslint-disable-next-line no-control-regex
  const s = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  if (!/^(?:https?:\/\/[^/\\]|mailto:[^/\\])/i.test(s)) return null;
  try {
    const u = new URL(s);
    if (u.protocol !== "http:" && u.protocol !== "https:" && u.protocol !== "mailto:") return null;
    return u.href;
  } catch {
    return null;
  }
}

type Inline = ReactNode[];

const INLINE =
  /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|(?<![A-Za-z0-9_])__([^_]+)__(?![A-Za-z0-9_])|\*([^*\s][^*]*)\*|(?<![A-Za-z0-9_])_([^_\s][^_]*)_(?![A-Za-z0-9_])|(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)|<((?:https?:\/\/|mailto:)[^>\s]+)>/g;

/** Inline Markdown to React nodes; depth bounds nesting of strong/emphasis. */
export function renderInline(text: string, depth = 0): Inline {
  const out: Inline = [];
  let last = 0;
  let k = 0;
  INLINE.lastIndex = 0;
  const matches = depth > 4 ? [] : Array.from(text.matchAll(INLINE));
  for (const m of matches) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    last = at + m[0].length;
    const key = `i${k++}`;
    if (m[1]) {
      out.push(<code key={key}>{m[2].replace(/^ (.*) $/, "$1")}</code>);
    } else if (m[3] !== undefined || m[4] !== undefined) {
      out.push(<strong key={key}>{renderInline(m[3] ?? m[4], depth + 1)}</strong>);
    } else if (m[5] !== undefined || m[6] !== undefined) {
      out.push(<em key={key}>{renderInline(m[5] ?? m[6], depth + 1)}</em>);
    } else if (m[8] !== undefined) {
      const label = m[8] || m[9];
      const href = m[7] ? null : safeUrl(m[9]);
      if (m[7]) out.push(<span key={key}>{label}</span>);
      else if (href)
        out.push(
          <a key={key} href={href} rel="nofollow noopener noreferrer" target="_blank">
            {renderInline(label, depth + 1)}
          </a>,
        );
      else out.push(<Fragment key={key}>{m[0]}</Fragment>);
    } else if (m[10]) {
      const href = safeUrl(m[10]);
      out.push(
        href ? (
          <a key={key} href={href} rel="nofollow noopener noreferrer" target="_blank">
            {m[10]}
          </a>
        ) : (
          <Fragment key={key}>{m[0]}</Fragment>
        ),
      );
    }
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

interface Block {
  kind: "p" | "h" | "code" | "quote" | "ul" | "ol";
  text: string; // p, h, code, quote
  level?: number; // h
  items?: string[]; // ul, ol
  start?: number; // ol
}

const FENCE = /^ {0,3}(```+|~~~+)\s*([\w+-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;

/** Splits Markdown into blocks (a small, predictable subset of CommonMark). */
export function parseBlocks(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    let m: RegExpExecArray | null;
    if (/^\s*$/.test(line)) {
      i++;
    } else if ((m = FENCE.exec(line))) {
      const fence = m[1];
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++) body.push(lines[i]);
      i++;
      blocks.push({ kind: "code", text: body.join("\n") });
    } else if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && (/^( {4}|\t)/.test(lines[i]) || /^\s*$/.test(lines[i])); i++)
        body.push(lines[i].replace(/^( {4}|\t)/, ""));
      blocks.push({ kind: "code", text: body.join("\n").replace(/\n+$/, "") });
    } else if ((m = HEADING.exec(line))) {
      blocks.push({ kind: "h", level: m[1].length, text: m[2] });
      i++;
    } else if (QUOTE.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && (m = QUOTE.exec(lines[i])); i++) body.push(m[1]);
      blocks.push({ kind: "quote", text: body.join("\n") });
    } else if (BULLET.test(line) || ORDERED.test(line)) {
      const ordered = !BULLET.test(line);
      const re = ordered ? ORDERED : BULLET;
      const items: string[] = [];
      const start = ordered ? Number(ORDERED.exec(line)![1]) : 1;
      for (; i < lines.length; i++) {
        const l = lines[i];
        const im = re.exec(l);
        if (im) items.push(ordered ? im[2] : im[1]);
        else if (/^\s+\S/.test(l) && items.length) items[items.length - 1] += " " + l.trim();
        else break;
      }
      blocks.push(ordered ? { kind: "ol", text: "", items, start } : { kind: "ul", text: "", items });
    } else {
      const body: string[] = [];
      for (; i < lines.length && !/^\s*$/.test(lines[i]); i++) {
        if (body.length && (FENCE.test(lines[i]) || HEADING.test(lines[i]) || BULLET.test(lines[i]) || QUOTE.test(lines[i]))) break;
        body.push(lines[i].trim());
      }
      blocks.push({ kind: "p", text: body.join("\n") });
    }
  }
  return blocks;
}

function renderBlocks(blocks: Block[], depth: number): ReactNode[] {
  return blocks.map((b, k) => {
    switch (b.kind) {
      case "code":
        return (
          <pre key={k}>
            <code>{b.text}</code>
          </pre>
        );
      case "h": {
        const level = Math.min(6, (b.level ?? 1) + 3);
        const H = `h${level}` as "h4" | "h5" | "h6";
        return <H key={k}>{renderInline(b.text)}</H>;
      }
      case "quote":
        return <blockquote key={k}>{depth < 3 ? renderBlocks(parseBlocks(b.text), depth + 1) : b.text}</blockquote>;
      case "ul":
        return (
          <ul key={k}>
            {b.items!.map((it, j) => (
              <li key={j}>{renderInline(it)}</li>
            ))}
          </ul>
        );
      case "ol":
        return (
          <ol key={k} start={b.start}>
            {b.items!.map((it, j) => (
              <li key={j}>{renderInline(it)}</li>
            ))}
          </ol>
        );
      default:
        return <p key={k}>{renderInline(b.text)}</p>;
    }
  });
}

/** Untrusted Markdown as sanitized React elements. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  return <div className={className ?? "md"}>{renderBlocks(parseBlocks(source), 0)}</div>;
}
