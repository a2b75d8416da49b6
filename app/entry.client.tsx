import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

// The page's catalog is there by now (its script, before Remix's, ran first: it leaves it in
// messages.ts's PAGE_CATALOGS, read here by name so this entry imports nothing more): hydrate
// at once. Only if that script failed is it fetched here, so hydration renders the server's text.
const lang = document.documentElement.lang;
const page = globalThis as { __broadlyCatalogs?: Record<string, unknown> };
if (page.__broadlyCatalogs?.[lang]) hydrate();
else void (lang === "en" ? import("~/i18n/catalog.en") : import("~/i18n/catalog.he")).then(hydrate);
