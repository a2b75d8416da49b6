// Where the browser build put each language's catalog chunks (app/i18n/catalog.<locale>.ts and
// catalog.staff-<locale>.ts, split
// out by load-catalog.ts's import()s): read once from the build's metafile, which
// `remix build` writes beside the server bundle.
import fs from "node:fs";
import type { CatalogChunk } from "./catalog-script";

let found: Partial<Record<CatalogChunk, string>> | undefined;

export function catalogScripts(): Partial<Record<CatalogChunk, string>> {
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
    const chunk = /app\/i18n\/catalog\.((?:staff-)?(?:he|en))\.ts$/.exec(entryPoint ?? "")?.[1];
    // "public/build/_shared/catalog.he-XXXX.js" is served as "/build/_shared/catalog.he-XXXX.js".
    if (chunk) found[chunk as CatalogChunk] = `/${output.replace(/^public\//, "")}`;
  }
  return found;
}
