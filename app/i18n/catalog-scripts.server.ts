// Where the browser build put each language's catalog chunk (app/i18n/catalog.<locale>.ts, split
// out by load-catalog.ts's import()s): read once from the build's metafile, which
// `remix build` writes beside the server bundle.
import fs from "node:fs";
import type { Locale } from "./messages";

let found: Partial<Record<Locale, string>> | undefined;

export function catalogScripts(): Partial<Record<Locale, string>> {
  if (found) return found;
  found = {};
  let outputs: Record<string, { entryPoint?: string }> = {};
  try {
    const file = new URL("./metafile.js.json", import.meta.url);
    outputs = JSON.parse(fs.readFileSync(file, "utf8")).outputs ?? {};
  } catch {
    // Not a build (tests render no document scripts): the browser then loads it on its own.
  }
  for (const [output, { entryPoint }] of Object.entries(outputs)) {
    const locale = /app\/i18n\/catalog\.(he|en)\.ts$/.exec(entryPoint ?? "")?.[1] as Locale;
    // "public/build/_shared/catalog.he-XXXX.js" is served as "/build/_shared/catalog.he-XXXX.js".
    if (locale) found[locale] = `/${output.replace(/^public\//, "")}`;
  }
  return found;
}
