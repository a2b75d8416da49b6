import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalog } from "~/i18n/load-catalog";
import { DEFAULT_LOCALE, isLocale } from "~/i18n/messages";

// The page's language first, so that hydration renders the same text as the server did.
const lang = document.documentElement.lang;
void loadCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE).then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
