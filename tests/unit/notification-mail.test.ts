// Unsubscribe tokens (signed, no sign-in) and the rendering of a grouped status update.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { readUnsubscribeToken, unsubscribeToken } from "~/models/unsubscribe.server";
import { renderEmail, renderGroup, type EmailPayload } from "~/services/emails.server";

const SECRET = "unit-test-secret-0123456789";

describe("unsubscribe tokens", () => {
  it("name the user and the preference, and read back only under the same secret", () => {
    const token = unsubscribeToken(42, "news", SECRET);
    expect(token).toMatch(/^42\.news\.[A-Za-z0-9_-]{43}$/);
    expect(readUnsubscribeToken(token, SECRET)).toEqual({ userId: 42, topic: "news" });
    expect(readUnsubscribeToken(token, `${SECRET}-other`)).toBeNull();
  });

  it("refuse another user, another preference, a cut or altered signature, and junk", () => {
    const token = unsubscribeToken(42, "status", SECRET);
    const mac = token.split(".")[2];
    expect(readUnsubscribeToken(`43.status.${mac}`, SECRET)).toBeNull();
    expect(readUnsubscribeToken(`42.news.${mac}`, SECRET)).toBeNull();
    expect(readUnsubscribeToken(`42.status.${mac.slice(0, -1)}`, SECRET)).toBeNull();
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    expect(readUnsubscribeToken(`42.status.${flipped}`, SECRET)).toBeNull();
    expect(readUnsubscribeToken(`42.weekly.${mac}`, SECRET)).toBeNull();
    expect(readUnsubscribeToken("", SECRET)).toBeNull();
    expect(readUnsubscribeToken("../../etc/passwd", SECRET)).toBeNull();
    expect(readUnsubscribeToken(`042.status.${mac}`, SECRET)).toBeNull();
  });
});

const decided = (title: string, note: string, locale: "he" | "en" = "en"): EmailPayload => ({
  template: "request_decided",
  locale,
  name: "Dana",
  requestTitle: title,
  requestUrl: `/requests/${title.length}`,
  decision: "declined",
  note,
});

describe("a grouped status update", () => {
  beforeAll(() => {
    vi.stubEnv("BASE_URL", "http://broadly.test");
  });

  it("of one row reads as that row's own e-mail", () => {
    const single = decided("Dark mode", "Not now");
    expect(renderGroup([single])).toEqual(renderEmail(single));
  });

  it("of several lists each change with its note and link, in the first row's language", () => {
    const mail = renderGroup(
      [
        decided("Dark mode", "Not now"),
        {
          template: "request_status_changed",
          locale: "he",
          name: "Dana",
          requestTitle: "Export <CSV>",
          requestUrl: "/requests/7",
          status: "shipped",
          note: "Enjoy",
        },
      ],
      { unsubscribeUrl: "http://broadly.test/unsubscribe/1.status.x" },
    );
    expect(mail.subject).toBe("2 updates on requests you follow");
    expect(mail.text).toContain("Dark mode");
    expect(mail.text).toContain("> Not now");
    expect(mail.text).toContain("“Export <CSV>” shipped");
    expect(mail.text).toContain("/requests/7");
    // Escaped in HTML; and the footer's unsubscribe link in both parts.
    expect(mail.html).toContain("Export &lt;CSV&gt;");
    expect(mail.html).not.toContain("<CSV>");
    expect(mail.text).toContain(
      "Unsubscribe from these e-mails: http://broadly.test/unsubscribe/1.status.x",
    );
    expect(mail.html).toContain('href="http://broadly.test/unsubscribe/1.status.x"');
  });

  it("in Hebrew, right to left", () => {
    const mail = renderGroup([decided("מצב כהה", "לא עכשיו", "he"), decided("ייצוא", "", "he")]);
    expect(mail.subject).toBe("2 עדכונים על בקשות שאתם עוקבים אחריהן");
    expect(mail.html).toContain('dir="rtl"');
  });

  it("refuses to render an empty group", () => {
    expect(() => renderGroup([])).toThrow();
  });
});
