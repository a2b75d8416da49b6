// Markdown written by users (request bodies, comments) rendered to HTML that is safe to insert
// as-is: raw HTML is escaped, not passed through, and markdown-it's link validation drops
// javascript:, vbscript:, file: and (non-image) data: URLs.
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });
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

export function renderMarkdown(md: string): string {
  return markdown.render(md);
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
