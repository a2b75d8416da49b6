// Full-text search over requests, on either engine: SQLite FTS5 (migration 0002's
// requests_fts) or PostgreSQL full-text search (migration 0014's request_search, a tsvector
// the `simple` configuration builds from the text this module writes, GIN-indexed). The only
// module that knows either index; everything above the two backends at the end is shared, so
// both find the same requests for the same words.
//
// Text goes into the index normalized (niqqud dropped, final letters folded, acronym quotes
// joined). A low-weight `stems` column adds, for each word, the forms a searcher may type
// instead: a Hebrew word without its one-letter prefixes (ו ה ב ל מ ש כ), so "חשבונית" finds
// "והחשבונית", and the singulars of a plural in either language ("דוחות" → "דוח", "invoices"
// → "invoice"). A query word is expanded the same way, so singular and plural find each other
// both ways. User input is never passed to MATCH as written: it is cut into words, each
// quoted, so no input can make an FTS syntax error.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from "kysely";
import { engineOf } from "../../db/engine.js";
import { getDb, getEngine, type Database, type RequestStatus } from "~/db.server";
import { visibleToExpression, type Viewer } from "./request-visibility.server";

type Executor = Kysely<Database> | Transaction<Database>;

const HEBREW_PREFIX_LETTERS = new Set(["ו", "ה", "ב", "ל", "מ", "ש", "כ"]);
const FINAL_LETTERS: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const HEBREW_WORD = /^[\u05D0-\u05EA]+$/;
const LATIN_WORD = /^[a-z]+$/;
/**
 * A Hebrew word keeps at least this many letters when a prefix letter is stripped: a shorter
 * remainder ("בית" → "ית") is mostly another word, and as a typed prefix it matches anything.
 */
const MIN_STRIPPED_LENGTH = 3;
/** Stands for an acronym's quotes (מע"מ) while a text is cut into words. */
const ACRONYM_MARK = "\uE000";
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

/**
 * The version of what searchDocument() writes. Bump it whenever that changes: at start-up,
 * reindexStaleSearch() then rebuilds the rows an older version wrote.
 * 2: acronyms and short words keep their letters; plurals indexed with their singulars.
 */
export const SEARCH_INDEX_VERSION = "2";
export const SEARCH_INDEX_VERSION_KEY = "search_index_version";

/** Normalized text, each acronym's quotes replaced by ACRONYM_MARK. */
function prepare(text: string): string {
  return (
    text
      .normalize("NFKC")
      // Hebrew points and cantillation marks; the maqaf (a hyphen) separates words.
      .replace(/\u05BE/g, " ")
      .replace(/[\u0591-\u05C7]/g, "")
      // Acronym quotes: מע"מ, מע״מ and מעמ are one word.
      .replace(/(?<=[\u05D0-\u05EA])["'\u05F3\u05F4]+(?=[\u05D0-\u05EA])/g, ACRONYM_MARK)
      .replace(/[ךםןףץ]/g, (c) => FINAL_LETTERS[c])
      .toLowerCase()
  );
}

/** The form both indexed text and queries are reduced to before FTS5's own tokenizer. */
export function normalizeSearchText(text: string): string {
  return prepare(text).replaceAll(ACRONYM_MARK, "");
}

type SearchWord = { word: string; isAcronym: boolean };

/** Words as FTS5's unicode61 tokenizer sees them (runs of letters and digits), acronyms marked. */
function searchWords(text: string): SearchWord[] {
  return prepare(text)
    .split(/[^\p{L}\p{N}\uE000]+/u)
    .filter((w) => w.length > 0)
    .map((w) => ({ word: w.replaceAll(ACRONYM_MARK, ""), isAcronym: w.includes(ACRONYM_MARK) }));
}

/** A Hebrew word without up to three leading prefix letters, each remainder at least 3 letters. */
export function withoutHebrewPrefixes(word: string): string[] {
  if (!HEBREW_WORD.test(word)) return [];
  const variants: string[] = [];
  let rest = word;
  while (
    variants.length < 3 &&
    rest.length > MIN_STRIPPED_LENGTH &&
    HEBREW_PREFIX_LETTERS.has(rest[0])
  ) {
    rest = rest.slice(1);
    variants.push(rest);
  }
  return variants;
}

/**
 * The singulars a plural may come from, as guesses: a wrong guess is a word nobody writes, and
 * it only lives in the low-weight stems column. Hebrew -ות is the plural of a word ending in ה,
 * in ת after י, or in neither (הודעות ← הודעה, חשבוניות ← חשבונית, דוחות ← דוח); -ים of a word
 * ending in ה or not (מילים ← מילה, משתמשים ← משתמש). English -ies, -es after s, x, z, ch or
 * sh, and -s. A singular gets nothing: its plural's entries find it.
 */
export function singularsOf(word: string): string[] {
  if (HEBREW_WORD.test(word)) {
    // Final letters are folded by now: "ים" reads "ימ".
    const suffix = word.slice(-2);
    const base = word.slice(0, -2);
    if ((suffix !== "ות" && suffix !== "ימ") || base.length < 2) return [];
    return suffix === "ות" && base.endsWith("י")
      ? [base, `${base}ה`, `${base}ת`]
      : [base, `${base}ה`];
  }
  if (!LATIN_WORD.test(word) || word.length < 4) return [];
  if (word.endsWith("ies") && word.length >= 5) return [`${word.slice(0, -3)}y`, word.slice(0, -1)];
  if (/(?:s|x|z|ch|sh)es$/.test(word)) return [word.slice(0, -2), word.slice(0, -1)];
  if (word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) return [word.slice(0, -1)];
  return [];
}

/**
 * The other forms a word is indexed and searched under: without its prefix letters, and the
 * singulars of each. An acronym (מע"מ) is kept whole: its first letter is not a prefix, and
 * the rest joined is often an everyday word (מעמ without its מ reads עמ, "with").
 */
function formsOf({ word, isAcronym }: SearchWord): { stripped: string[]; singulars: string[] } {
  if (isAcronym) return { stripped: [], singulars: [] };
  const stripped = withoutHebrewPrefixes(word);
  const singulars = [...new Set([word, ...stripped].flatMap(singularsOf))].filter(
    (form) => form !== word && !stripped.includes(form),
  );
  return { stripped, singulars };
}

/** What the index stores for a request. */
export function searchDocument(
  title: string,
  bodyMd: string,
): { title: string; body: string; stems: string } {
  const stems = new Set<string>();
  for (const word of [...searchWords(title), ...searchWords(bodyMd)]) {
    const { stripped, singulars } = formsOf(word);
    for (const form of [...stripped, ...singulars]) stems.add(form);
  }
  return {
    title: normalizeSearchText(title),
    body: normalizeSearchText(bodyMd),
    stems: [...stems].join(" "),
  };
}

export type MatchMode = "all" | "any";

/** One word of a query: the forms, any of which may match it, each whole or as a prefix. */
type QueryWord = { term: string; prefix: boolean }[];

/**
 * What a user typed, as the words a query must match. Every word also matches its other forms
 * (without Hebrew prefix letters, its singulars); the last word (still being typed) and its
 * prefix-less forms match as prefixes once it has two letters. "any" ignores stopwords when
 * other words are left. Null when the text holds no searchable word.
 */
function queryWords(
  text: string,
  { mode = "all", prefixLast = true }: { mode?: MatchMode; prefixLast?: boolean },
): QueryWord[] | null {
  const all = searchWords(text.slice(0, MAX_QUERY_CHARS))
    .slice(0, MAX_QUERY_TOKENS)
    .map((w, index, list) => ({
      ...w,
      word: w.word.slice(0, MAX_TOKEN_LENGTH),
      isLast: index === list.length - 1,
    }));
  let tokens = all;
  if (mode === "any") {
    const meaningful = all.filter((t) => !STOPWORDS.has(t.word));
    if (meaningful.length > 0) tokens = meaningful;
  }
  if (tokens.length === 0) return null;
  return tokens.map((token) => {
    const asPrefix = prefixLast && token.isLast && token.word.length >= 2;
    const { stripped, singulars } = formsOf(token);
    return [
      ...[token.word, ...stripped].map((term) => ({ term, prefix: asPrefix })),
      // A singular is a whole word: as a prefix "דוח" would also find "דוחף".
      ...singulars.map((term) => ({ term, prefix: false })),
    ];
  });
}

/**
 * The FTS5 MATCH expression for what a user typed (see queryWords), or null. User input never
 * reaches MATCH as written: each word is quoted, so no input can make an FTS syntax error.
 * "all" needs every word, "any" at least one.
 */
export function buildMatchQuery(
  text: string,
  options: { mode?: MatchMode; prefixLast?: boolean } = {},
): string | null {
  const words = queryWords(text, options);
  if (!words) return null;
  const quote = ({ term, prefix }: QueryWord[number]) =>
    `"${term.replace(/"/g, '""')}"${prefix ? "*" : ""}`;
  return words
    .map((forms) => (forms.length === 1 ? quote(forms[0]) : `(${forms.map(quote).join(" OR ")})`))
    .join(options.mode === "any" ? " OR " : " AND ");
}

/**
 * The same query for PostgreSQL's to_tsquery('simple', …): quoted lexemes, `:*` for a prefix,
 * `|` and `&`. Each term is letters and digits only (searchWords), so nothing typed is syntax.
 */
export function buildTsQuery(
  text: string,
  options: { mode?: MatchMode; prefixLast?: boolean } = {},
): string | null {
  const words = queryWords(text, options);
  if (!words) return null;
  const quote = ({ term, prefix }: QueryWord[number]) =>
    `'${foldMarks(term).replace(/'/g, "''")}'${prefix ? ":*" : ""}`;
  return words
    .map((forms) => (forms.length === 1 ? quote(forms[0]) : `(${forms.map(quote).join(" | ")})`))
    .join(options.mode === "any" ? " | " : " & ");
}

/**
 * Latin letters without their accents (café → cafe), as FTS5's `remove_diacritics 2` reads
 * them; PostgreSQL's `simple` configuration keeps them, so its backend folds them itself.
 */
function foldMarks(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .normalize("NFC");
}

/**
 * Normalized text cut into words the way FTS5's unicode61 tokenizer cuts it, one space
 * between them: fed to PostgreSQL's parser, it yields the same words (its own rules would
 * split e-mail addresses, hyphenated words and URLs differently).
 */
function asWords(normalized: string): string {
  return foldMarks(normalized)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .join(" ");
}

type SearchDocument = ReturnType<typeof searchDocument>;
type Hit = { id: number; score: number };
type HitFilters = {
  statuses: readonly RequestStatus[];
  categoryId: number | null;
  limit: number;
  scored: boolean;
  viewer: Viewer;
};

/** What each engine's index does; the exported functions below pick one per call. */
type SearchIndex = {
  /** Adds the request's row, replacing any. */
  write(db: Executor, id: number, doc: SearchDocument): Promise<void>;
  remove(db: Executor, id: number): Promise<void>;
  /** Every row gone (before a rebuild: rows of deleted requests go too). */
  clear(db: Executor): Promise<void>;
  isIndexed(db: Executor, id: number): Promise<boolean>;
  count(db: Executor): Promise<number>;
  /** The newest `candidates` matches, best first (lower score is better). */
  rank(text: string, mode: MatchMode, candidates: number, limit: number): Promise<Hit[] | null>;
  hits(text: string, filters: HitFilters): Promise<SearchHit[] | null>;
  /** Up to `limit` matching ids, and a condition that holds for every matching id. */
  match(
    text: string,
    limit: number,
  ): Promise<{ ids: number[]; condition: (idColumn: string) => Expression<SqlBool> } | null>;
};

/** Column weights for bm25: title, body, stems. */
const BM25 = sql.raw("bm25(requests_fts, 8.0, 2.0, 1.0)");

const fts5: SearchIndex = {
  async write(db, id, doc) {
    await fts5.remove(db, id);
    await sql`insert into requests_fts (rowid, title, body, stems) values (${id}, ${doc.title}, ${doc.body}, ${doc.stems})`.execute(
      db,
    );
  },
  async remove(db, id) {
    await sql`delete from requests_fts where rowid = ${id}`.execute(db);
  },
  async clear(db) {
    await sql`insert into requests_fts (requests_fts) values ('delete-all')`.execute(db);
  },
  async isIndexed(db, id) {
    const { rows } = await sql`select rowid from requests_fts where rowid = ${id}`.execute(db);
    return rows.length > 0;
  },
  async count(db) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from requests_fts`.execute(db);
    return Number(rows[0].n);
  },
  async rank(text, mode, candidates, limit) {
    const match = buildMatchQuery(text, { mode });
    if (!match) return null;
    const { rows } = await sql<Hit>`
      select id, score from (
        select rowid as id, ${BM25} as score from requests_fts
        where requests_fts match ${match}
        order by rowid desc limit ${candidates}
      ) order by score, id desc limit ${limit}
    `.execute(getDb());
    return rows;
  },
  async hits(text, { statuses, categoryId, limit, scored, viewer }) {
    const match = buildMatchQuery(text);
    if (!match) return null;
    // The unary pluses keep SQLite walking the index newest first rather than by status.
    const inCategory = categoryId == null ? sql`1 = 1` : sql`+requests.category_id = ${categoryId}`;
    const { rows } = await sql<SearchHit>`
      select requests.id as id, requests.status as status,
        requests.merged_into_id as "mergedIntoId", ${scored ? BM25 : sql.lit(0)} as score
      from requests_fts join requests on requests.id = requests_fts.rowid
      where requests_fts match ${match}
        and (+requests.status = 'merged'
          or (+requests.status in (${sql.join(statuses.map((s) => sql.lit(s)))}) and ${inCategory}))
        and ${visibleToExpression(viewer)}
      order by requests_fts.rowid desc
      limit ${limit}
    `.execute(getDb());
    return rows;
  },
  async match(text, limit) {
    const match = buildMatchQuery(text);
    if (!match) return null;
    const { rows } = await sql<{ id: number }>`
      select rowid as id from requests_fts where requests_fts match ${match} limit ${limit}
    `.execute(getDb());
    return {
      ids: rows.map((r) => r.id),
      // The unary plus keeps SQLite from driving the query by the (many) matching ids: it
      // walks the sort's index instead and probes the matches, once materialized, per row.
      condition: (idColumn) =>
        sql<SqlBool>`+${sql.ref(idColumn)} in (select rowid from requests_fts where requests_fts match ${match})`,
    };
  },
};

/**
 * ts_rank's weights for D, C, B, A: stems (C), body (B) and title (A) in bm25's 1 : 2 : 8.
 * Negated, so that lower is better on both engines.
 */
const TS_RANK = (document: string) => sql`-ts_rank('{0, 0.125, 0.25, 1}', ${sql.ref(document)}, q)`;

const postgres: SearchIndex = {
  async write(db, id, doc) {
    await sql`
      insert into request_search (request_id, document) values (${id},
        setweight(to_tsvector('simple', ${asWords(doc.title)}), 'A')
        || setweight(to_tsvector('simple', ${asWords(doc.body)}), 'B')
        || setweight(to_tsvector('simple', ${asWords(doc.stems)}), 'C'))
      on conflict (request_id) do update set document = excluded.document
    `.execute(db);
  },
  async remove(db, id) {
    await sql`delete from request_search where request_id = ${id}`.execute(db);
  },
  async clear(db) {
    await sql`delete from request_search`.execute(db);
  },
  async isIndexed(db, id) {
    const { rows } =
      await sql`select request_id from request_search where request_id = ${id}`.execute(db);
    return rows.length > 0;
  },
  async count(db) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from request_search`.execute(db);
    return Number(rows[0].n);
  },
  async rank(text, mode, candidates, limit) {
    const query = buildTsQuery(text, { mode });
    if (!query) return null;
    // Ranked in the outer query, so ts_rank runs on the candidates only.
    const { rows } = await sql<Hit>`
      select id, ${TS_RANK("document")} as score
      from (
        select request_id as id, document from request_search
        where document @@ to_tsquery('simple', ${query})
        order by request_id desc limit ${candidates}
      ) candidates, to_tsquery('simple', ${query}) q
      order by score, id desc limit ${limit}
    `.execute(getDb());
    return rows;
  },
  async hits(text, { statuses, categoryId, limit, scored, viewer }) {
    const query = buildTsQuery(text);
    if (!query) return null;
    const inCategory = categoryId == null ? sql`1 = 1` : sql`requests.category_id = ${categoryId}`;
    const { rows } = await sql<SearchHit>`
      select id, status, "mergedIntoId", ${scored ? TS_RANK("document") : sql.lit(0)} as score
      from (
        select requests.id as id, requests.status as status,
          requests.merged_into_id as "mergedIntoId", request_search.document as document
        from request_search join requests on requests.id = request_search.request_id
        where request_search.document @@ to_tsquery('simple', ${query})
          and (requests.status = 'merged'
            or (requests.status in (${sql.join(statuses.map((s) => sql.lit(s)))}) and ${inCategory}))
          and ${visibleToExpression(viewer)}
        order by request_search.request_id desc
        limit ${limit}
      ) hits, to_tsquery('simple', ${query}) q
      order by id desc
    `.execute(getDb());
    return rows;
  },
  async match(text, limit) {
    const query = buildTsQuery(text);
    if (!query) return null;
    const { rows } = await sql<{ id: number }>`
      select request_id as id from request_search
      where document @@ to_tsquery('simple', ${query}) limit ${limit}
    `.execute(getDb());
    return {
      ids: rows.map((r) => r.id),
      condition: (idColumn) =>
        sql<SqlBool>`${sql.ref(idColumn)} in (select request_id from request_search where document @@ to_tsquery('simple', ${query}))`,
    };
  },
};

function indexOf(db?: Executor): SearchIndex {
  return (db ? engineOf(db) : getEngine()) === "postgres" ? postgres : fts5;
}

/** Adds or replaces the request's row in the index; call it in the transaction that writes the request. */
export async function indexRequest(
  db: Executor,
  request: { id: number; title: string; bodyMd: string },
) {
  await indexOf(db).write(db, request.id, searchDocument(request.title, request.bodyMd));
}

/**
 * Writes a row as given (tests use it to plant what an older index version wrote); the app
 * writes through indexRequest.
 */
export async function writeIndexRow(db: Executor, id: number, doc: SearchDocument) {
  await indexOf(db).write(db, id, doc);
}

/** Takes the request out of the index; call it in the transaction that deletes the request. */
export async function removeRequestFromIndex(db: Executor, requestId: number) {
  await indexOf(db).remove(db, requestId);
}

/** Whether the index has a row for the request. */
export async function isRequestIndexed(db: Executor, requestId: number): Promise<boolean> {
  return indexOf(db).isIndexed(db, requestId);
}

/** How many rows the index holds (one per request, when it is whole). */
export async function countIndexedRequests(db: Executor = getDb()): Promise<number> {
  return indexOf(db).count(db);
}

const REINDEX_BATCH = 2_000;

/**
 * Rebuilds the index when it was written by another SEARCH_INDEX_VERSION (or never stamped),
 * and stamps it; run at start-up before serving, and by the seed. The rows are rewritten in
 * batches, one transaction each, so a writer elsewhere waits for a batch, not the rebuild.
 * Returns whether it rebuilt.
 */
export async function reindexStaleSearch(db: Kysely<Database> = getDb()): Promise<boolean> {
  const stamp = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SEARCH_INDEX_VERSION_KEY)
    .executeTakeFirst();
  if (stamp?.value === SEARCH_INDEX_VERSION) return false;
  const index = indexOf(db);
  await index.clear(db);
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom("requests")
      .select(["id", "title", "body_md"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(REINDEX_BATCH)
      .execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const row of rows)
        await index.write(trx, row.id, searchDocument(row.title, row.body_md));
    });
    after = rows[rows.length - 1].id;
  }
  await db
    .insertInto("settings")
    .values({ key: SEARCH_INDEX_VERSION_KEY, value: SEARCH_INDEX_VERSION })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: SEARCH_INDEX_VERSION }))
    .execute();
  return true;
}

/**
 * Requests matching every word, best first. The candidates are bounded: the newest
 * RANKING_CANDIDATES hits are ranked, so a two-letter prefix costs the same as a word.
 */
export async function rankRequestMatches(
  text: string,
  {
    limit,
    mode = "all",
    candidates = RANKING_CANDIDATES,
  }: { limit: number; mode?: MatchMode; candidates?: number },
): Promise<{ id: number; score: number }[]> {
  return (await indexOf().rank(text, mode, candidates, limit)) ?? [];
}

export type SearchHit = {
  id: number;
  status: RequestStatus;
  mergedIntoId: number | null;
  /** bm25 on SQLite, ts_rank negated on PostgreSQL: lower is a better match. */
  score: number;
};

/**
 * Up to `limit` requests matching every word, newest first, with their scores, kept to the
 * given statuses and category; merged requests match whatever the filters, since a hit on one
 * stands for the request it was merged into (the caller looks that one up and filters it).
 * The bound comes before ranking: the index walks the hits newest first and scores only the
 * rows kept, so a two-letter prefix matching a fifth of the board costs `limit` scores.
 */
export async function listSearchHits(
  text: string,
  {
    statuses,
    categoryId,
    limit,
    scored = true,
    viewer,
  }: {
    statuses: readonly RequestStatus[];
    categoryId: number | null;
    limit: number;
    /** False: every score is 0 (a caller sorting otherwise saves computing them). */
    scored?: boolean;
    /** Hits are kept to the requests the viewer may see (a merged one's hit included). */
    viewer: Viewer;
  },
): Promise<SearchHit[] | null> {
  return indexOf().hits(text, { statuses, categoryId, limit, scored, viewer });
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
 */
export async function matchRequests(text: string, maxIds: number): Promise<RequestMatches> {
  const found = await indexOf().match(text, maxIds + 1);
  if (!found) return { kind: "no-query" };
  if (found.ids.length <= maxIds) return { kind: "ids", ids: found.ids };
  return { kind: "many", condition: found.condition };
}
