// A catalog sentence with one {placeholder} shown as <bdi>, so an e-mail address or a Latin
// name keeps its own direction inside Hebrew text (and the reverse).
export function Isolated({ text, name, value }: { text: string; name: string; value: string }) {
  // t(key) without params leaves "{name}" in place: split the sentence around it.
  const [before, after = ""] = text.split(`{${name}}`);
  return (
    <>
      {before}
      <bdi>{value}</bdi>
      {after}
    </>
  );
}
