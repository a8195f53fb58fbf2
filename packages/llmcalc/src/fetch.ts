import { type Fetch, FeedError } from "@tokenledger/core/catalogue";

/**
 * The runtime's fetch for `catalog refresh --from https://…`, following redirects itself: fetch's
 * own following goes anywhere a server points, plain http included, past the https check made on
 * the address typed. Here every hop must be https, and there are at most MAX_REDIRECTS of them.
 */

export const MAX_REDIRECTS = 5;

const where = (u: URL) => `${u.protocol}//${u.host}`;

export function httpsRedirectsOnly(inner: typeof fetch = fetch): Fetch {
  return async (url, init) => {
    let at = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await inner(at.href, { ...init, redirect: "manual" });
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      await response.body?.cancel();
      if (hop === MAX_REDIRECTS) throw new FeedError(`${at.host} redirected more than ${MAX_REDIRECTS} times`);
      const next = new URL(location, at);
      if (next.protocol !== "https:")
        throw new FeedError(`${at.host} redirected to ${where(next)}, which is not https, so it was not followed`);
      at = next;
    }
  };
}
