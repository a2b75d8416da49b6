// Tests translate as the server does: with both catalogs.
import { registerServerCatalogs } from "~/i18n/catalogs.server";

registerServerCatalogs();
