import { describe, expect, it } from "vitest";
import { renderedMarkdownChars, renderMarkdown } from "~/markdown.server";

describe("renderMarkdown", () => {
  it("renders ordinary Markdown", () => {
    const html = renderMarkdown("# Title\n\n**bold** and _it_\n\n- one\n- two\n\n`code`");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>it</em>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<code>code</code>");
  });

  it("escapes a <script> element instead of passing it through", () => {
    const html = renderMarkdown(
      "before <script>alert(1)</script> after\n\n<script>\nalert(2)\n</script>",
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes raw HTML with event handlers", () => {
    for (const input of [
      "<img src=x onerror=alert(1)>",
      '<a href="#" onclick="alert(1)">x</a>',
      "<svg onload=alert(1)>",
    ]) {
      const html = renderMarkdown(input);
      expect(html).not.toMatch(/<(img|a|svg)\b/i);
      expect(html).toContain("&lt;");
    }
  });

  it("drops javascript:, vbscript:, file: and data: links, however they are spelled", () => {
    for (const input of [
      "[x](javascript:alert(1))",
      "[x](JavaScript:alert(1))",
      "[x](java&#115;cript:alert(1))",
      "[x]( javascript:alert(1))",
      "[x](vbscript:msgbox(1))",
      "[x](file:///etc/passwd)",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "<javascript:alert(1)>",
      "![x](javascript:alert(1))",
    ]) {
      const html = renderMarkdown(input);
      expect(html, input).not.toMatch(/href="\s*(javascript|vbscript|file|data):/i);
      expect(html, input).not.toMatch(/src="\s*javascript:/i);
      expect(html, input).not.toMatch(/<a /);
    }
  });

  it("makes live links of http, https and mailto addresses only; the rest stay as written", () => {
    for (const input of [
      "[x](data:text/html,<script>alert(1)</script>)",
      "[x](data:text/html;charset=utf-8,hello)",
      "[x](data:image/png;base64,iVBORw0KGgo=)",
      "[x](tel:+972501234567)",
      "[x](ftp://example.com/file)",
      "[x](/requests/1)",
      "ftp://example.com/file",
    ]) {
      const html = renderMarkdown(input);
      expect(html, input).not.toMatch(/<a /);
      expect(html, input).toContain("x");
    }
    expect(renderMarkdown("[x](data:text/html,hi)")).toBe("<p>[x](data:text/html,hi)</p>\n");
    for (const [input, href] of [
      ["[x](https://example.com)", "https://example.com"],
      ["[x](HTTP://example.com)", "HTTP://example.com"],
      ["[x](mailto:dana@acme.test)", "mailto:dana@acme.test"],
      ["www.example.com", "http://www.example.com"],
      ["dana@example.com", "mailto:dana@example.com"],
    ]) {
      expect(renderMarkdown(input), input).toContain(`<a href="${href}"`);
    }
  });

  it("marks links as user content that search engines should not follow", () => {
    expect(renderMarkdown("[docs](https://example.com/docs)")).toBe(
      '<p><a href="https://example.com/docs" rel="nofollow ugc noopener">docs</a></p>\n',
    );
    expect(renderMarkdown("see https://example.com")).toContain(
      '<a href="https://example.com" rel="nofollow ugc noopener">',
    );
  });

  it("keeps Hebrew text as it is", () => {
    expect(renderMarkdown("בקשה **חשובה**")).toBe("<p>בקשה <strong>חשובה</strong></p>\n");
  });
});

describe("renderMarkdown's kept HTML", () => {
  it("answers a text it rendered before with the same HTML, and stays within its budget", () => {
    const text = "**kept** [a link](https://example.com)";
    const first = renderMarkdown(text);
    const before = renderedMarkdownChars();
    expect(renderMarkdown(text)).toBe(first);
    expect(renderedMarkdownChars()).toBe(before);
    // 600 distinct texts of ~18,000 characters (and their HTML) are far past the budget.
    for (let i = 0; i < 600; i++) renderMarkdown(`${i} ${"word ".repeat(3_600)}`);
    expect(renderedMarkdownChars()).toBeLessThanOrEqual(4_000_000);
    expect(renderedMarkdownChars()).toBeGreaterThan(3_000_000);
    expect(renderMarkdown(text)).toBe(first);
  });
});
