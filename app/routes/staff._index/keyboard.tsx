// The triage queue from the keyboard: j/k move between requests, a letter opens that request's
// decision (b, s, d, a, m), and after a decision the focus lands on the request that took the
// decided one's place (the queue's address carries it as #request-<id>). Keys typed into a
// field, or with a modifier, are never taken.
import { useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { DECISION_KEYS, DECISION_KINDS, type DecisionKind } from "~/components/DecisionControls";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";

const ITEM = "[data-triage-item]";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || Boolean(target.closest("input, textarea, select")))
  );
}

function items(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(ITEM)];
}

function focusItem(item: HTMLElement | undefined) {
  if (!item) return;
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: "nearest" });
}

/**
 * Opens the decision in `item`: its forms render on first use (`open`), after which the key
 * opens the disclosure and puts the focus on its first field or button.
 */
function openDecision(item: HTMLElement, kind: DecisionKind, open: OpenDecision) {
  const details = item.querySelector<HTMLDetailsElement>(`details[data-decision="${kind}"]`);
  if (!details) {
    open(Number(item.dataset.triageItem), kind);
    return;
  }
  details.open = true;
  const first = details.querySelector<HTMLElement>(
    "form select, form textarea, form input:not([type=hidden]), form button[type=submit]",
  );
  first?.focus();
}

const HELP: Record<DecisionKind, MessageKey> = {
  broad: "staffTriage.keys.broad",
  sponsored: "staffTriage.keys.sponsored",
  declined: "staffTriage.keys.declined",
  already_exists: "staffTriage.keys.already_exists",
  merge: "staffTriage.keys.merge",
};

const KIND_OF_KEY = new Map(DECISION_KINDS.map((kind) => [DECISION_KEYS[kind], kind]));

type OpenDecision = (requestId: number, kind: DecisionKind) => void;

export function useTriageKeys(open: OpenDecision) {
  // The latest callback, so the key handler is registered once.
  const openRef = useRef(open);
  openRef.current = open;
  const location = useLocation();

  // After a decision (or on opening a link to one), focus the request the address names.
  useEffect(() => {
    const id = location.hash.slice(1);
    const target = id ? document.getElementById(id) : null;
    if (target?.matches(ITEM)) focusItem(target);
  }, [location.key, location.hash]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      const list = items();
      if (list.length === 0) return;
      const active = document.activeElement;
      const current = active instanceof HTMLElement ? active.closest<HTMLElement>(ITEM) : null;
      const index = current ? list.indexOf(current) : -1;
      const key = event.key.toLowerCase();
      if (key === "j" || key === "k") {
        event.preventDefault();
        const step = key === "j" ? 1 : -1;
        const next = index === -1 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
        focusItem(list[next]);
        return;
      }
      const kind = KIND_OF_KEY.get(key);
      if (kind) {
        event.preventDefault();
        openDecision(current ?? list[0], kind, openRef.current);
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}

/** The line that tells staff the keys (shown only with JavaScript, which they need). */
export function KeyboardHelp() {
  const t = useT();
  const key = (k: string) => (
    <kbd className="rounded border border-stone-300 bg-white px-1.5 font-mono text-xs text-stone-800">
      {k}
    </kbd>
  );
  return (
    <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600 max-sm:hidden">
      <span className="font-medium text-stone-700">{t("staffTriage.keys.title")}</span>
      <span>
        {key("j")} / {key("k")} {t("staffTriage.keys.move")}
      </span>
      {DECISION_KINDS.map((kind) => (
        <span key={kind}>
          {key(DECISION_KEYS[kind])} {t(HELP[kind])}
        </span>
      ))}
      <span>
        {/* A key combination reads left to right in either language. */}
        <span dir="ltr">
          {key("Ctrl")}+{key("Enter")}
        </span>{" "}
        {t("staffTriage.keys.send")}
      </span>
    </p>
  );
}
