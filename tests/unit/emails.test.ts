import { beforeAll, describe, expect, it, vi } from "vitest";
import { escapeHtml, renderEmail, type EmailPayload } from "~/services/emails.server";
import { backoffMs, MAX_ATTEMPTS } from "~/services/worker.server";

const invitation = (
  overrides: Partial<Extract<EmailPayload, { template: "invitation" }>> = {},
): EmailPayload => ({
  template: "invitation",
  locale: "en",
  orgName: "Acme Ltd",
  inviterName: "Dana",
  role: "member",
  url: "http://broadly.test/invite/abc123",
  expiresAt: "2026-03-24T10:00:00Z",
  ...overrides,
});

describe("the invitation e-mail", () => {
  it("has an English subject naming the inviter and the organization", () => {
    expect(renderEmail(invitation()).subject).toBe("Dana invited you to join Acme Ltd on Broadly");
  });

  it("is written in Hebrew, right to left, for a Hebrew reader", () => {
    const email = renderEmail(invitation({ locale: "he" }));
    expect(email.subject).toContain("הזמין/ה אתכם");
    expect(email.subject).toContain("Acme Ltd");
    expect(email.html).toContain('<html lang="he" dir="rtl">');
    expect(email.text).toContain("בתפקיד חבר/ה");
  });

  it("names the role in the reader's language", () => {
    expect(renderEmail(invitation({ role: "admin" })).text).toContain("as admin.");
    expect(renderEmail(invitation({ role: "member" })).text).toContain("as member.");
  });

  it("carries the personal link in both the text and the HTML part", () => {
    const email = renderEmail(invitation());
    expect(email.text).toContain("http://broadly.test/invite/abc123");
    expect(email.html).toContain('href="http://broadly.test/invite/abc123"');
  });

  it("tells until when the link works", () => {
    expect(renderEmail(invitation()).text).toContain("valid until Mar 24, 2026");
  });

  it("escapes an organization name that looks like HTML", () => {
    const email = renderEmail(
      invitation({ orgName: '<script>alert("x")</script>', inviterName: "Eve & <b>Co</b>" }),
    );
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<b>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.html).toContain("Eve &amp; &lt;b&gt;Co&lt;/b&gt;");
    // The plain-text part is not HTML: the name appears as typed.
    expect(email.text).toContain('<script>alert("x")</script>');
  });

  it("cannot be broken out of an attribute by a crafted link", () => {
    const email = renderEmail(
      invitation({ url: 'http://broadly.test/invite/x" onclick="steal()' }),
    );
    expect(email.html).not.toContain('" onclick="');
    expect(email.html).toContain("&quot; onclick=&quot;steal()");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in HTML", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });

  it("escapes an ampersand only once", () => {
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });
});

describe("the password-reset and verification e-mails", () => {
  const link = "http://broadly.test/reset-password/tok123";

  it("greet the user by name and carry the single-use link in both parts, in Hebrew right to left", () => {
    for (const template of ["password_reset", "email_verification"] as const) {
      const email = renderEmail({ template, locale: "he", name: "Dana <Cohen>", url: link });
      expect(email.html).toContain('<html lang="he" dir="rtl">');
      expect(email.text).toContain("Dana <Cohen>");
      expect(email.html).toContain("Dana &lt;Cohen&gt;");
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link}"`);
    }
  });

  it("say how long the link works, in English too", () => {
    const reset = renderEmail({
      template: "password_reset",
      locale: "en",
      name: "Dana",
      url: link,
    });
    expect(reset.subject).toBe("Choose a new password for Broadly");
    expect(reset.text).toContain("for one hour");
    const verify = renderEmail({
      template: "email_verification",
      locale: "en",
      name: "Dana",
      url: link,
    });
    expect(verify.subject).toBe("Confirm your e-mail address for Broadly");
    expect(verify.text).toContain("for 48 hours");
  });
});

describe("retrying e-mail delivery", () => {
  it("waits 30 seconds after the first failure, then doubles the wait", () => {
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(2)).toBe(60_000);
    expect(backoffMs(3)).toBe(120_000);
    expect(backoffMs(4)).toBe(240_000);
  });

  it("never waits longer than an hour", () => {
    expect(backoffMs(8)).toBe(3_600_000);
    expect(backoffMs(50)).toBe(3_600_000);
  });

  it("never waits less than 30 seconds", () => {
    expect(backoffMs(0)).toBe(30_000);
  });

  it("gives up only after several hours of retries", () => {
    let total = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) total += backoffMs(attempt);
    expect(total).toBeGreaterThan(60 * 60_000);
  });
});

describe("the registry of templates", () => {
  // Links given as paths are made absolute on the site's address.
  beforeAll(() => {
    vi.stubEnv("BASE_URL", "http://broadly.test");
  });
  const common = { name: "Dana <Cohen>", requestTitle: "Export <b>VAT</b>" };
  const payloads: EmailPayload[] = [
    {
      template: "vote_recorded",
      locale: "en",
      ...common,
      requestUrl: "/requests/7",
      orgName: "Acme",
      staffName: "Shira",
      source: "whatsapp",
      withdrawUrl: "/votes/7/withdraw/tok",
    },
    {
      template: "proposed_on_behalf",
      locale: "en",
      ...common,
      requestUrl: "/requests/7",
      orgName: "Acme",
      staffName: "Shira",
      source: "call",
    },
    {
      template: "request_decided",
      locale: "en",
      ...common,
      requestUrl: "/requests/7",
      decision: "broad",
      note: "For everyone",
      targetQuarter: "2027-Q2",
    },
    {
      template: "request_status_changed",
      locale: "en",
      ...common,
      requestUrl: "/requests/7",
      status: "in_progress",
      note: null,
    },
    {
      template: "request_merged",
      locale: "en",
      ...common,
      targetTitle: "Export everything",
      targetUrl: "/requests/8",
      note: null,
    },
    {
      template: "request_reopened",
      locale: "en",
      ...common,
      requestUrl: "/requests/7",
      reason: "We look again",
    },
  ];

  it.each(payloads.map((p) => [p.template, p] as const))(
    "renders %s in both languages, escaped, with absolute links",
    (_name, payload) => {
      for (const locale of ["en", "he"] as const) {
        const email = renderEmail({ ...payload, locale });
        expect(email.subject).not.toMatch(/mail\.|\{/);
        expect(email.text).toContain("Dana <Cohen>");
        expect(email.html).toContain("Dana &lt;Cohen&gt;");
        expect(email.html).not.toContain("<b>VAT</b>");
        expect(email.text).toMatch(/http:\/\/broadly\.test\/requests\/[78]/);
        expect(email.html).toMatch(/href="http:\/\/broadly\.test\/requests\/[78]"/);
        expect(email.html).toContain(`dir="${locale === "he" ? "rtl" : "ltr"}"`);
      }
    },
  );

  it("names the target quarter, the source of a recorded vote and its withdrawal link", () => {
    expect(renderEmail(payloads[2]).text).toContain("aiming for 2027-Q2");
    const recorded = renderEmail(payloads[0]);
    expect(recorded.text).toContain("a WhatsApp message");
    expect(recorded.text).toContain("http://broadly.test/votes/7/withdraw/tok");
  });

  it("links a help article only for an 'already possible' answer", () => {
    const answer = {
      template: "request_decided",
      locale: "en",
      name: "Dana",
      requestTitle: "Export",
      requestUrl: "/requests/7",
      note: "Use the export",
      helpUrl: "https://help.example/export",
    } as const;
    expect(renderEmail({ ...answer, decision: "already_exists" }).html).toContain(
      'href="https://help.example/export"',
    );
    expect(renderEmail({ ...answer, decision: "declined" }).html).not.toContain("help.example");
  });

  it("refuses a payload of a template it does not know", () => {
    expect(() =>
      renderEmail({ template: "nope", locale: "en" } as unknown as EmailPayload),
    ).toThrow(/unknown e-mail template/);
  });
});
