import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/ComingSoon";
import { pageTitle } from "~/components/PageTitle";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "soon.announcements.title");

export default function Announcements() {
  return <ComingSoon title="soon.announcements.title" body="soon.announcements.body" />;
}
