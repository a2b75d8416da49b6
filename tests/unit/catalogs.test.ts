import { describe, expect, it } from "vitest";
import { en as pageEn } from "~/i18n/en";
import { he as pageHe } from "~/i18n/he";
import { mailEn } from "~/i18n/mail.en";
import { mailHe } from "~/i18n/mail.he";
import { staffEn } from "~/i18n/staff.en";
import { staffHe } from "~/i18n/staff.he";

// The page catalogs, the staff pages' and the e-mails' (server-only) ones, checked as one.
const he = { ...pageHe, ...staffHe, ...mailHe };
const en = { ...pageEn, ...staffEn, ...mailEn };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  it("have exactly the same keys in Hebrew and English", () => {
    const heKeys = Object.keys(he).sort();
    const enKeys = Object.keys(en).sort();
    expect(heKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !heKeys.includes(k))).toEqual([]);
  });

  it("use the same placeholders for a key in both languages", () => {
    for (const key of Object.keys(he) as (keyof typeof he)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(he[key]));
    }
  });

  it("keep e-mail text out of the catalogs a browser loads", () => {
    expect(Object.keys(pageHe).filter((key) => key.startsWith("mail."))).toEqual([]);
    expect(Object.keys(mailHe).every((key) => key.startsWith("mail."))).toBe(true);
    expect(Object.keys(pageHe).filter((key) => Object.hasOwn(mailHe, key))).toEqual([]);
  });

  it("keep the staff pages' messages out of the catalog every visitor loads, and apart", () => {
    expect(Object.keys(staffHe).length).toBeGreaterThan(0);
    expect(Object.keys(pageHe).filter((key) => Object.hasOwn(staffHe, key))).toEqual([]);
    expect(Object.keys(staffHe).filter((key) => Object.hasOwn(mailHe, key))).toEqual([]);
  });

  it("leave no message empty", () => {
    for (const [key, text] of [...Object.entries(he), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });
});
