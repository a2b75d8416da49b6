// Hebrew prefix letters before interpolated names: glued to Hebrew, hyphenated before Latin
// letters and digits, in the helper and in every catalog message that uses one.
import { describe, expect, it } from "vitest";
import { attachHebrewPrefix } from "~/i18n/format";
import { he as pageHe } from "~/i18n/he";
import { mailHe } from "~/i18n/mail.he";
import { staffHe } from "~/i18n/staff.he";
import { translate, type MessageKey } from "~/i18n/messages";

// Page, staff page and e-mail messages alike.
const he: Record<MessageKey, string> = { ...pageHe, ...staffHe, ...mailHe };

describe("attaching a Hebrew prefix letter to a word", () => {
  it("glues it to a Hebrew word", () => {
    expect(attachHebrewPrefix("ל", "אקמה")).toBe("לאקמה");
    expect(attachHebrewPrefix("וב", "גלובקס")).toBe("ובגלובקס");
  });

  it("writes a hyphen before a Latin word", () => {
    expect(attachHebrewPrefix("ל", "Acme Ltd")).toBe("ל-Acme Ltd");
    expect(attachHebrewPrefix("מ", "globex")).toBe("מ-globex");
  });

  it("writes a hyphen before a number", () => {
    expect(attachHebrewPrefix("ב", "2026")).toBe("ב-2026");
  });

  it("looks past opening punctuation to the first letter", () => {
    expect(attachHebrewPrefix("ל", "״אקמה״")).toBe("ל״אקמה״");
    expect(attachHebrewPrefix("ל", '"Acme"')).toBe('ל-"Acme"');
  });
});

describe("catalog messages with a prefix glued to a placeholder", () => {
  it("read 'להצטרף ל-Acme Ltd' for a Latin name and 'להצטרף לאקמה' for a Hebrew one", () => {
    expect(translate("he", "invite.title", { org: "Acme Ltd" })).toBe("הזמנה להצטרף ל-Acme Ltd");
    expect(translate("he", "invite.title", { org: "אקמה" })).toBe("הזמנה להצטרף לאקמה");
  });

  it("hyphenate a number filled into a prefixed placeholder", () => {
    expect(translate("he", "invite.title", { org: 3 })).toBe("הזמנה להצטרף ל-3");
  });

  it("leave placeholders after a space or inside a Hebrew word alone", () => {
    expect(translate("he", "toast.invited", { email: "omer@acme.test" })).toBe(
      "ההזמנה נשלחה אל omer@acme.test.",
    );
    expect(translate("en", "invite.title", { org: "Acme Ltd" })).toBe("Join Acme Ltd");
  });

  it("never leave a prefix glued to a Latin name in any Hebrew message", () => {
    const glued = /(?<![\u05D0-\u05EA])[ובהכלמש]{1,3}\{\w+\}/;
    const keys = (Object.keys(he) as MessageKey[]).filter((key) => glued.test(he[key]));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const names = [...he[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const text = translate("he", key, Object.fromEntries(names.map((n) => [n, "Acme Ltd"])));
      expect(text, key).not.toMatch(/[\u05D0-\u05EA]Acme/);
    }
  });
});
