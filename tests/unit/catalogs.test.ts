import { describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { he } from "~/i18n/he";

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

  it("leave no message empty", () => {
    for (const [key, text] of [...Object.entries(he), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });
});
