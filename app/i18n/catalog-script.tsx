// The script that brings the page's catalog, just before Remix's own: a module script runs
// before the ones after it (document order), so the catalog is registered when the page
// hydrates, with no wait for it and nothing of the other language downloaded. The server knows the chunks'
// addresses from the build (catalog-scripts.server.ts); the browser, hydrating, reads back the
// one the server wrote.
import { createContext, useContext } from "react";
import { useNonce } from "~/components/Nonce";
import type { Locale } from "./messages";

/** A chunk of messages: a language's page catalog, or its staff pages' messages. */
export type CatalogChunk = Locale | `staff-${Locale}`;

const CatalogScripts = createContext<Partial<Record<CatalogChunk, string>>>({});
export const CatalogScriptsProvider = CatalogScripts.Provider;

function writtenSource(chunk: CatalogChunk): string | undefined {
  if (typeof document === "undefined") return undefined;
  const script = document.querySelector(`script[data-catalog="${chunk}"]`);
  return script?.getAttribute("src") ?? undefined;
}

function ChunkScript({ chunk }: { chunk: CatalogChunk }) {
  const nonce = useNonce();
  const src = useContext(CatalogScripts)[chunk] ?? writtenSource(chunk);
  if (!src) return null;
  return <script type="module" src={src} nonce={nonce} data-catalog={chunk} />;
}

/** The page's catalog, and for a staff member the staff pages' messages in its language. */
export function CatalogScript({ locale, staff = false }: { locale: Locale; staff?: boolean }) {
  return (
    <>
      <ChunkScript chunk={locale} />
      {staff ? <ChunkScript chunk={`staff-${locale}`} /> : null}
    </>
  );
}
