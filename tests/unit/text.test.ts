// What typed text is stored as: the cleaning helpers and the form schemas that use them.
import { describe, expect, it } from "vitest";
import { validateForm } from "~/forms.server";
import {
  CommentSchema,
  OrganizationSchema,
  ProfileSchema,
  ProposeSchema,
  SignUpSchema,
} from "~/schemas.server";
import { cleanLine, cleanMarkdown } from "~/text";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

const BIDI_CONTROLS = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];
const DECOMPOSED = "Cafe\u0301"; // the accent as its own code point
const COMPOSED = "Caf\u00e9";

describe("cleanLine", () => {
  it("drops NUL and every bidirectional embedding, override and isolate control", () => {
    for (const control of BIDI_CONTROLS) {
      expect(cleanLine(`Acme${control} Ltd`), escape(control)).toBe("Acme Ltd");
    }
    expect(cleanLine("Ac\u0000me")).toBe("Acme");
    expect(cleanLine("\u202egnp.exe")).toBe("gnp.exe");
  });

  it("normalizes to NFC and collapses whitespace, line breaks included", () => {
    expect(cleanLine(DECOMPOSED)).toBe(COMPOSED);
    expect(cleanLine("  Dana \n\t Cohen  ")).toBe("Dana Cohen");
  });

  it("keeps Hebrew, its points and the directional marks as written", () => {
    expect(cleanLine("שָׁלוֹם\u200f Acme")).toBe("שָׁלוֹם\u200f Acme".normalize("NFC"));
  });
});

describe("cleanMarkdown", () => {
  it("drops NUL and normalizes to NFC, keeping line breaks and indentation", () => {
    expect(cleanMarkdown(`a\u0000b\n\n    ${DECOMPOSED}`)).toBe(`ab\n\n    ${COMPOSED}`);
  });
});

describe("every schema taking text others read cleans it", () => {
  const dirty = `\u202e${DECOMPOSED}\u0000 \u2066Ltd\u2069`;
  const clean = `${COMPOSED} Ltd`;

  it("titles, names and organization names", () => {
    expect(
      validateForm(form({ title: `${dirty} request`, categoryId: "1" }), ProposeSchema).data?.title,
    ).toBe(`${clean} request`);
    expect(
      validateForm(
        form({ name: dirty, email: "a@b.test", password: "long enough pw" }),
        SignUpSchema,
      ).data?.name,
    ).toBe(clean);
    expect(
      validateForm(form({ intent: "profile", name: dirty, locale: "" }), ProfileSchema).data?.name,
    ).toBe(clean);
    expect(validateForm(form({ name: dirty }), OrganizationSchema).data?.name).toBe(clean);
  });

  it("a name of hidden characters only is no name", () => {
    expect(validateForm(form({ name: "\u202e\u0000\u2066" }), OrganizationSchema).errors).toEqual({
      name: "error.orgNameTooShort",
    });
  });

  it("Markdown bodies lose their NUL bytes", () => {
    expect(
      validateForm(
        form({ title: "A long enough title", bodyMd: "x\u0000y", categoryId: "1" }),
        ProposeSchema,
      ).data?.bodyMd,
    ).toBe("xy");
    expect(validateForm(form({ bodyMd: "x\u0000y" }), CommentSchema).data?.bodyMd).toBe("xy");
  });
});
