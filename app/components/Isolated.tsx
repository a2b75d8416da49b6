// Interpolated values isolated in <bdi> inside a translated sentence: translate with ISOLATED
// for each value, then hand the text and the values (in the order they appear) to <Isolated>.
import { Fragment, type ReactNode } from "react";

/** Stands for a value in a translated message (an invisible separator no catalog uses). */
export const ISOLATED = "\u2063";

export function Isolated({ text, values }: { text: string; values: ReactNode[] }) {
  const parts = text.split(ISOLATED);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <bdi>{values[i]}</bdi> : null}
        </Fragment>
      ))}
    </>
  );
}
