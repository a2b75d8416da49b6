// The script that brings the page's catalog, just before Remix's own: a module script runs
// before the ones after it (document order), so the catalog is registered when the page
// hydrates, with no wait for it and nothing of the other language downloaded. The server knows the chunks'
// addresses from the build (catalog-scripts.server.ts); the browser, hydrating, reads back the
// one the server wrote.
import { createContext, useContext } from "react";
import { useNonce } from "~/components/Nonce";
import type { Locale } from "./messages";

const CatalogScripts = createContext<Partial<Record<Locale, string>>>({});
export const CatalogScriptsProvider = CatalogScripts.Provider;

function writtenSource(locale: Locale): string | undefined {
  if (typeof document === "undefined") return undefined;
  const script = document.querySelector(`script[data-catalog="${locale}"]`);
  return script?.getAttribute("src") ?? undefined;
}

export function CatalogScript({ locale }: { locale: Locale }) {
  const nonce = useNonce();
  const src = useContext(CatalogScripts)[locale] ?? writtenSource(locale);
  if (!src) return null;
  return <script type="module" src={src} nonce={nonce} data-catalog={locale} />;
}
