// The note on a request's page after the address of a request merged into it redirected there
// (/requests/<target>?merged=<old id>), so the visitor knows why they landed elsewhere.
import { useRichT } from "~/i18n/rich";

const CANONICAL_ID = /^[1-9][0-9]{0,15}$/;

/** The merged and target ids a request page's address names, or null when it names none. */
export function mergedNoticeParams(url: URL): { id: number; targetId: number } | null {
  const target = /^\/requests\/([^/]+)$/.exec(url.pathname)?.[1];
  const merged = url.searchParams.get("merged");
  if (!target || !merged || !CANONICAL_ID.test(target) || !CANONICAL_ID.test(merged)) return null;
  return { id: Number(merged), targetId: Number(target) };
}

export function MergedNotice({ request }: { request: { id: number; title: string } }) {
  const rt = useRichT();
  return (
    <div className="mx-auto mt-4 max-w-6xl px-4">
      <p
        role="status"
        className="rounded-xl border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-blue-950"
      >
        {rt("request.mergedNotice", { id: `#${request.id}`, title: request.title })}
      </p>
    </div>
  );
}
