/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The client's address as the server saw it (after trusted proxies). */
    ip: string;
    /** Per-response nonce that the Content-Security-Policy allows for inline scripts. */
    cspNonce: string;
  }
}

export {};
