import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/markdown.server";

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
