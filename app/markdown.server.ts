// Markdown written by users (request bodies, comments) rendered to HTML that is safe to insert
// as-is: raw HTML is escaped, not passed through, and only http, https and mailto links live.
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });
// markdown-it's own check still lets data:image/…, tel:, ftp: and relative addresses through;
// a link users wrote may only lead to a web page or an e-mail address. Anything else stays as
// the text it was written as. (markdown-it hands this the link already decoded and normalized.)
const LINK_SCHEME = /^(https?|mailto):/i;
markdown.validateLink = (url) => LINK_SCHEME.test(url.trim());
// No uploads yet, and the Content-Security-Policy allows images from this site only: an image
// written in Markdown stays as its text.
markdown.disable("image");

// Links and autolinked URLs users wrote: search engines should not credit them, and the
// target page gets no handle on ours.
const renderLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "nofollow ugc noopener");
  return renderLinkOpen(tokens, idx, options, env, self);
};

// A thread's comments are the same text on every view of its page: the HTML of recent texts is
// kept, least recently used first out, within a byte budget (UTF-16, both strings counted).
const RENDERED_BUDGET_CHARS = 4_000_000;
const RENDERED_MAX_SOURCE_CHARS = 20_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/** How much of the budget the kept HTML uses (for the tests). */
export function renderedMarkdownChars(): number {
  return renderedChars;
}

export function renderMarkdown(md: string): string {
  const kept = rendered.get(md);
  if (kept !== undefined) {
    // Most recently used last: a Map iterates in insertion order.
    rendered.delete(md);
    rendered.set(md, kept);
    return kept;
  }
  const html = markdown.render(md);
  if (md.length <= RENDERED_MAX_SOURCE_CHARS) {
    rendered.set(md, html);
    renderedChars += md.length + html.length;
    for (const [oldMd, oldHtml] of rendered) {
      if (renderedChars <= RENDERED_BUDGET_CHARS) break;
      rendered.delete(oldMd);
      renderedChars -= oldMd.length + oldHtml.length;
    }
  }
  return html;
}

/** The start of a Markdown text as plain text on one line: for excerpts, never rendered as HTML. */
export function markdownExcerpt(md: string, maxChars: number): string {
  const text = md
    .replace(/```[\s\S]*?(```|$)/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]*>/g, " ")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1).trimEnd()}…` : text;
}
