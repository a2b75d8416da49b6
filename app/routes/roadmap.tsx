import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/ComingSoon";
import { pageTitle } from "~/components/PageTitle";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "soon.roadmap.title");

export default function Roadmap() {
  return <ComingSoon title="soon.roadmap.title" body="soon.roadmap.body" />;
}
