// The staff's en messages as a staff member's browser loads them: a chunk of its own, run by a
// script in the page before hydration (app/i18n/catalog-script.tsx), or by load-catalog.ts. It
// leaves them where messages.ts looks (STAFF_CATALOGS, written out, as catalog.en.ts does).
import { staffEn } from "./staff.en";

const page = globalThis as { __broadlyStaffCatalogs?: Record<string, unknown> };
page.__broadlyStaffCatalogs = { ...page.__broadlyStaffCatalogs, en: staffEn };
