// Any unknown path: a 404 inside the normal layout, in the visitor's language.
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
