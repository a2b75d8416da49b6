import { describe, expect, it } from "vitest";
import { formatDate, formatRelative } from "~/i18n/format";
import { localeFromAcceptLanguage } from "~/i18n/locale.server";
import { directionOf, isMessageKey, translate, translator } from "~/i18n/messages";

describe("choosing a language from the browser's Accept-Language", () => {
  it("picks English for an English browser and Hebrew for a Hebrew one", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("he-IL,he;q=0.9,en;q=0.8")).toBe("he");
  });

  it("follows the quality weights, not the order of the header", () => {
    expect(localeFromAcceptLanguage("en;q=0.4, he;q=0.9")).toBe("he");
    expect(localeFromAcceptLanguage("fr-FR, en;q=0.5, he;q=0.9")).toBe("he");
  });

  it("skips languages we don't have and those the browser refuses with q=0", () => {
    expect(localeFromAcceptLanguage("fr-FR, de;q=0.8, en;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0, he;q=0.1")).toBe("he");
  });

  it("understands the old Hebrew code iw", () => {
    expect(localeFromAcceptLanguage("iw-IL")).toBe("he");
  });

  it("has no opinion when the header names nothing we speak", () => {
    expect(localeFromAcceptLanguage(null)).toBeNull();
    expect(localeFromAcceptLanguage("")).toBeNull();
    expect(localeFromAcceptLanguage("*")).toBeNull();
    expect(localeFromAcceptLanguage("fr, de;q=0.5")).toBeNull();
    expect(localeFromAcceptLanguage("en;q=nonsense")).toBeNull();
  });
});

describe("translating messages", () => {
  it("fills in placeholders", () => {
    expect(translate("en", "invite.title", { org: "Acme Ltd" })).toBe("Join Acme Ltd");
    expect(translate("he", "invite.title", { org: "Acme Ltd" })).toContain("Acme Ltd");
  });

  it("formats numbers for the reader's language", () => {
    expect(translate("en", "error.signInLimited", { minutes: 1500 })).toContain("1,500 minutes");
  });

  it("leaves a placeholder visible when its value is missing rather than printing 'undefined'", () => {
    const text = translate("en", "error.signInLimited", {});
    expect(text).toContain("{minutes}");
    expect(text).not.toContain("undefined");
  });

  it("does not interpret placeholders inside the values it inserts", () => {
    expect(translate("en", "invite.lead", { inviter: "{org}", org: "Acme", role: "admin" })).toBe(
      "{org} invited you to join Acme on Broadly as admin.",
    );
  });

  it("gives the same text through a translator bound to a language", () => {
    const t = translator("en");
    expect(t("invite.title", { org: "Globex" })).toBe(
      translate("en", "invite.title", { org: "Globex" }),
    );
  });

  it("knows its own keys and nothing else", () => {
    expect(isMessageKey("error.required")).toBe(true);
    expect(isMessageKey("error.nope")).toBe(false);
    expect(isMessageKey(42)).toBe(false);
  });

  // Names every object inherits are not messages: treating them as keys would make
  // translate() return a function instead of text.
  it.each(["constructor", "toString", "__proto__"])(
    "does not mistake the built-in property %j for a message key",
    (name) => {
      expect(isMessageKey(name)).toBe(false);
    },
  );

  it("writes Hebrew right to left and English left to right", () => {
    expect(directionOf("he")).toBe("rtl");
    expect(directionOf("en")).toBe("ltr");
  });
});

describe("dates and relative times", () => {
  const now = Date.parse("2026-03-10T12:00:00Z");
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
  const DAY = 86_400;

  it("says how long ago something happened", () => {
    expect(formatRelative("en", at(-3 * DAY), now)).toBe("3 days ago");
    expect(formatRelative("en", at(-2 * 3600), now)).toBe("2 hours ago");
    expect(formatRelative("he", at(-3 * DAY), now)).toBe("לפני 3 ימים");
  });

  it("uses words like 'yesterday' where people would", () => {
    expect(formatRelative("en", at(-DAY), now)).toBe("yesterday");
    expect(formatRelative("he", at(-DAY), now)).toBe("אתמול");
  });

  it("speaks of future dates as 'in …'", () => {
    expect(formatRelative("en", at(6 * DAY), now)).toBe("in 6 days");
  });

  it("calls the last few seconds 'this minute'", () => {
    expect(formatRelative("en", at(-10), now)).toBe("this minute");
  });

  it("shows dates in Israel time, where the board's customers are", () => {
    // 23:30 UTC on March 10 is already March 11 in Jerusalem.
    expect(formatDate("en", "2026-03-10T23:30:00Z")).toBe("Mar 11, 2026");
    expect(formatDate("he", "2026-03-10T12:00:00Z")).toContain("2026");
  });
});

describe("Hebrew dual forms in relative times", () => {
  it("says 'לפני חודשיים' without ICU's bracketed number", async () => {
    const { formatRelative } = await import("~/i18n/format");
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(formatRelative("he", "2026-09-24T12:00:00Z", now)).toBe("לפני חודשיים");
    expect(formatRelative("he", "2026-11-12T12:00:00Z", now)).toBe("לפני שבועיים");
  });
});
