// /feed.xml: the address design.md gives the feed, the same document as /announcements.atom.
export { loader } from "./announcements[.atom]";
