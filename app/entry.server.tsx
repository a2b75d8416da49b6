// Renders documents on the server, with the CSP nonce on every script Remix emits.
import { registerServerCatalogs } from "~/i18n/catalogs.server";
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/Nonce";
import { CatalogScriptsProvider } from "~/i18n/catalog-script";
import { catalogScripts } from "~/i18n/catalog-scripts.server";
import { getEnv } from "~/env.server";
import { reindexStaleSearch } from "~/models/search.server";
import { startOutboxWorker } from "~/services/worker.server";

registerServerCatalogs();

export { renderStatusPage } from "~/status-page.server";
// app/server.js handles each HTTP request inside its scope (~/request-scope.server).
export { runInRequestScope } from "~/request-scope.server";
export { answerFromPublicCache, lookUpPublicCache } from "~/services/public-cache.server";

const ABORT_DELAY = 5_000;

/**
 * Called by app/server.js before it serves (once, in the primary process when there are
 * several): brings the data up to what this build expects.
 */
export async function prepareData() {
  await reindexStaleSearch();
}

/**
 * Called by app/server.js in each serving process: the in-process outbox worker, which works
 * only while it holds the lease (app/services/worker-lease.server.ts); returns its stopper.
 */
export function startBackgroundWork() {
  return startOutboxWorker();
}

/** Called by app/server.js at start-up: the validated settings its own checks need. */
export function httpSettings() {
  const env = getEnv();
  return {
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustedOrigins: env.POST_ORIGINS,
    webConcurrency: env.WEB_CONCURRENCY,
  };
}

/**
 * Two repairs to React 18's streamed output before it is sent:
 * - React 18.3 pads a chunk with NUL bytes when a multi-byte character (all of Hebrew) does not
 *   fit at the end of its 2 KiB buffer; NUL is never legitimate in our HTML, so it is dropped.
 * - Single fetch streams its loader data as <script>s after </html>; browsers move them into
 *   <body> anyway, and putting them there makes the document valid HTML.
 */
export function repairDocument(raw: Buffer): Buffer {
  // Bytes throughout: decoding a page to a string and encoding it again cost more than the rest.
  const html = raw.includes(0) ? withoutNulBytes(raw) : raw;
  const end = html.lastIndexOf(HTML_END);
  if (end < 0) return html;
  const tail = html.subarray(end + HTML_END.length);
  if (isBlank(tail)) return html;
  const bodyEnd = html.lastIndexOf(BODY_END, end);
  if (bodyEnd < 0) return html;
  return Buffer.concat([
    html.subarray(0, bodyEnd),
    tail,
    html.subarray(bodyEnd, end + HTML_END.length),
  ]);
}

const HTML_END = Buffer.from("</html>");
const BODY_END = Buffer.from("</body>");

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    // space, tab, line feed, carriage return
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

function withoutNulBytes(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = raw.indexOf(0); at !== -1; at = raw.indexOf(0, start)) {
    parts.push(raw.subarray(start, at));
    start = at + 1;
  }
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? "";
  return new Promise<Response>((resolve, reject) => {
    let rendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <CatalogScriptsProvider value={catalogScripts()}>
          <RemixServer
            context={remixContext}
            url={request.url}
            abortDelay={ABORT_DELAY}
            nonce={nonce}
          />
        </CatalogScriptsProvider>
      </NonceProvider>,
      {
        nonce,
        // Everything is rendered before sending, so browsers without JavaScript get the whole page.
        onAllReady() {
          rendered = true;
          const body = new PassThrough();
          const chunks: Buffer[] = [];
          body.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
          body.on("end", () => {
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            resolve(
              // A Buffer of our own making, never a SharedArrayBuffer's view.
              new Response(repairDocument(Buffer.concat(chunks)) as Uint8Array<ArrayBuffer>, {
                headers: responseHeaders,
                status: responseStatusCode,
              }),
            );
          });
          body.on("error", reject);
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (rendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
