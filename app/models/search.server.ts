// Full-text search over requests. The only module that knows the index is SQLite FTS5: to move
// to PostgreSQL full-text search, replace this file (and the index's migration) and nothing else.
//
// Text goes into the index normalized (niqqud dropped, final letters folded, acronym quotes
// joined), and Hebrew words glued to a one-letter prefix (ו ה ב ל מ ש כ) are also indexed
// without it, in a low-weight `stems` column, so "חשבונית" finds "והחשבונית". User input is
// never passed to MATCH as written: it is cut into words, each quoted, so no input can make an
// FTS syntax error.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from "kysely";
import { getDb, type Database } from "~/db.server";

type Executor = Kysely<Database> | Transaction<Database>;

const HEBREW_PREFIX_LETTERS = new Set(["ו", "ה", "ב", "ל", "מ", "ש", "כ"]);
const FINAL_LETTERS: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const HEBREW_WORD = /^[\u05D0-\u05EA]+$/;
/** Words kept out of "any word" queries: they match nearly everything. */
const STOPWORDS = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "is",
  "it",
  "of",
  "on",
  "or",
  "so",
  "that",
  "the",
  "this",
  "to",
  "with",
  "we",
  "our",
  "can",
  "will",
  "של",
  "את",
  "על",
  "עם",
  "או",
  "גם",
  "כל",
  "לא",
  "זה",
  "זו",
  "אם",
  "יש",
  "אין",
  "כמו",
  "רק",
  "אנחנו",
  "אני",
]);

/** At most this much of what a user typed is read, and this many of its words used. */
const MAX_QUERY_CHARS = 400;
const MAX_QUERY_TOKENS = 8;
const MAX_TOKEN_LENGTH = 48;
/** How many hits, newest first, are ranked by bm25 (ranking every hit of a short prefix is slow). */
export const RANKING_CANDIDATES = 300;

/** Column weights for bm25: title, body, prefix-stripped Hebrew words. */
const BM25 = sql.raw("bm25(requests_fts, 8.0, 2.0, 1.0)");

/** The form both indexed text and queries are reduced to before FTS5's own tokenizer. */
export function normalizeSearchText(text: string): string {
  return (
    text
      .normalize("NFKC")
      // Hebrew points and cantillation marks; the maqaf (a hyphen) separates words.
      .replace(/\u05BE/g, " ")
      .replace(/[\u0591-\u05C7]/g, "")
      // Acronym quotes: מע"מ, מע״מ and מעמ are one word.
      .replace(/(?<=[\u05D0-\u05EA])["'\u05F3\u05F4]+(?=[\u05D0-\u05EA])/g, "")
      .replace(/[ךםןףץ]/g, (c) => FINAL_LETTERS[c])
      .toLowerCase()
  );
}

/** Words as FTS5's unicode61 tokenizer sees them: runs of letters and digits. */
function words(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** A Hebrew word without up to three leading prefix letters, each remainder at least 2 letters. */
export function withoutHebrewPrefixes(word: string): string[] {
  if (!HEBREW_WORD.test(word)) return [];
  const variants: string[] = [];
  let rest = word;
  while (variants.length < 3 && rest.length > 2 && HEBREW_PREFIX_LETTERS.has(rest[0])) {
    rest = rest.slice(1);
    variants.push(rest);
  }
  return variants;
}

/** What the index stores for a request. */
export function searchDocument(
  title: string,
  bodyMd: string,
): { title: string; body: string; stems: string } {
  const normalizedTitle = normalizeSearchText(title);
  const normalizedBody = normalizeSearchText(bodyMd);
  const stems = new Set<string>();
  for (const word of [...words(normalizedTitle), ...words(normalizedBody)]) {
    for (const variant of withoutHebrewPrefixes(word)) stems.add(variant);
  }
  return { title: normalizedTitle, body: normalizedBody, stems: [...stems].join(" ") };
}

/** Adds or replaces the request's row in the index; call it in the transaction that writes the request. */
export async function indexRequest(
  db: Executor,
  request: { id: number; title: string; bodyMd: string },
) {
  const doc = searchDocument(request.title, request.bodyMd);
  await sql`delete from requests_fts where rowid = ${request.id}`.execute(db);
  await sql`insert into requests_fts (rowid, title, body, stems) values (${request.id}, ${doc.title}, ${doc.body}, ${doc.stems})`.execute(
    db,
  );
}

export async function removeRequestFromIndex(db: Executor, requestId: number) {
  await sql`delete from requests_fts where rowid = ${requestId}`.execute(db);
}

export type MatchMode = "all" | "any";

/**
 * The FTS5 MATCH expression for what a user typed, or null when it holds no searchable word.
 * Every word is quoted; a Hebrew word also matches without its one-letter prefixes; the last
 * word (still being typed) matches as a prefix once it has two letters. "all" needs every
 * word, "any" at least one (and ignores stopwords when other words are left).
 */
export function buildMatchQuery(
  text: string,
  { mode = "all", prefixLast = true }: { mode?: MatchMode; prefixLast?: boolean } = {},
): string | null {
  const all = words(normalizeSearchText(text.slice(0, MAX_QUERY_CHARS)))
    .slice(0, MAX_QUERY_TOKENS)
    .map((word, index, list) => ({
      word: word.slice(0, MAX_TOKEN_LENGTH),
      isLast: index === list.length - 1,
    }));
  let tokens = all;
  if (mode === "any") {
    const meaningful = all.filter((t) => !STOPWORDS.has(t.word));
    if (meaningful.length > 0) tokens = meaningful;
  }
  if (tokens.length === 0) return null;
  const groups = tokens.map(({ word, isLast }) => {
    const asPrefix = prefixLast && isLast && word.length >= 2;
    const terms = [word, ...withoutHebrewPrefixes(word)].map(
      (t) => `"${t.replace(/"/g, '""')}"${asPrefix ? "*" : ""}`,
    );
    return terms.length === 1 ? terms[0] : `(${terms.join(" OR ")})`;
  });
  return groups.join(mode === "all" ? " AND " : " OR ");
}

/**
 * Requests matching every word, best first. The candidates are bounded: the newest
 * RANKING_CANDIDATES hits are ranked by bm25, so a two-letter prefix costs the same as a word.
 */
export async function rankRequestMatches(
  text: string,
  {
    limit,
    mode = "all",
    candidates = RANKING_CANDIDATES,
  }: { limit: number; mode?: MatchMode; candidates?: number },
): Promise<{ id: number; score: number }[]> {
  const match = buildMatchQuery(text, { mode });
  if (!match) return [];
  const { rows } = await sql<{ id: number; score: number }>`
    select id, score from (
      select rowid as id, ${BM25} as score from requests_fts
      where requests_fts match ${match}
      order by rowid desc limit ${candidates}
    ) order by score, id desc limit ${limit}
  `.execute(getDb());
  return rows;
}

export type RequestMatches =
  /** Nothing searchable in the text: search as if none were given. */
  | { kind: "no-query" }
  /** Every matching id (there were at most the asked-for number). */
  | { kind: "ids"; ids: number[] }
  /** Too many to list: a condition on the given id column, for a query that walks a sorted index. */
  | { kind: "many"; condition: (idColumn: string) => Expression<SqlBool> };

/**
 * The requests whose title or body match every word, as a filter for other queries: a short
 * list of ids when there are at most `maxIds` (cheap to look up and sort), else a condition.
 * The condition's unary plus keeps SQLite from driving the query by the (many) matching ids:
 * it walks the sort's index instead and probes the matches, once materialized, for each row;
 * with that many matches a page fills after a few probes.
 */
export async function matchRequests(text: string, maxIds: number): Promise<RequestMatches> {
  const match = buildMatchQuery(text);
  if (!match) return { kind: "no-query" };
  const { rows } = await sql<{ id: number }>`
    select rowid as id from requests_fts where requests_fts match ${match} limit ${maxIds + 1}
  `.execute(getDb());
  if (rows.length <= maxIds) return { kind: "ids", ids: rows.map((r) => r.id) };
  return {
    kind: "many",
    condition: (idColumn) =>
      sql<SqlBool>`+${sql.ref(idColumn)} in (select rowid from requests_fts where requests_fts match ${match})`,
  };
}
