// Both catalogs, with the staff pages' and the e-mails' messages, for everything the server writes (pages, e-mails, status pages). The server
// entry, the e-mail renderer and the status pages call this when they load, so the worker and
// the scripts have them too. (A call, not a bare import: the package is marked free of side
// effects, so the bundler drops imports that bind nothing.)
import { en } from "./en";
import { he } from "./he";
import { mailEn } from "./mail.en";
import { mailHe } from "./mail.he";
import { registerCatalog } from "./messages";
import { staffEn } from "./staff.en";
import { staffHe } from "./staff.he";

export function registerServerCatalogs() {
  registerCatalog("he", { ...he, ...staffHe, ...mailHe });
  registerCatalog("en", { ...en, ...staffEn, ...mailEn });
}
