// The request page's staff-only sections, in one chunk that only staff download: a visitor's
// or customer's page never renders them, and they were a third of the page's script requests.
export { DemandCard } from "./DemandCard";
export { QuoteVersions } from "./QuoteVersions";
export { StaffPanel } from "./StaffPanel";
export { StaffTools } from "./StaffTools";
export { VisibilityControl } from "./VisibilityControl";
