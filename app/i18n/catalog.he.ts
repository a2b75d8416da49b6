// The he catalog as the browser loads it: a chunk of its own that registers itself, loaded by a
// script in the page's head before hydration (app/i18n/catalog-script.tsx), or by
// load-catalog.ts when the language changes without a new document.
import { he } from "./he";
import { registerCatalog } from "./messages";

registerCatalog("he", he);
