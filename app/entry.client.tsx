import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalog } from "~/i18n/load-catalog";
import { DEFAULT_LOCALE, hasCatalog, isLocale } from "~/i18n/messages";

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

// The page's catalog is registered by now (its script in the head ran first): hydrate at once.
// Only if that script failed is it fetched here, so hydration renders the server's text.
const lang = document.documentElement.lang;
const locale = isLocale(lang) ? lang : DEFAULT_LOCALE;
if (hasCatalog(locale)) hydrate();
else void loadCatalog(locale).then(hydrate);
