// What user-typed text is stored as. Titles, names and organization names reach other people's
// pages and e-mail subjects, so characters that hide or reorder what they read never get in.

/**
 * NUL, the other control characters, and the bidirectional embedding, override and isolate
 * controls (U+202A–U+202E, U+2066–U+2069): an override can make "Acme" read as another name.
 * The marks U+200E/U+200F stay: Hebrew text mixing in Latin words legitimately uses them.
 */
const HIDDEN_ON_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NUL = /\u0000/g;

/** A one-line text (a title, a name): NFC, hidden characters dropped, whitespace collapsed. */
export function cleanLine(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\t\n\r\f\v]/g, " ")
    .replace(HIDDEN_ON_ONE_LINE, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** A Markdown body: NFC and no NUL; line breaks and indentation are the author's. */
export function cleanMarkdown(text: string): string {
  return text.normalize("NFC").replace(NUL, "");
}
