/**
 * Where the add-in is served from. manifest.xml is written for the dev server
 * (https://localhost:3000); a production build rewrites every URL in it for the host given in
 * ADDIN_URL, and its page takes office.js from Microsoft's CDN, which keeps it current (the npm
 * copy is a frozen 2022 build that Microsoft no longer supports).
 */

export const DEV_ORIGIN = "https://localhost:3000";

/** The CDN folder office.js loads its host-specific files from; the production CSP allows it and nothing else off-host. */
export const OFFICE_JS_CDN_DIR = "https://appsforoffice.microsoft.com/lib/1/hosted/";
export const OFFICE_JS_CDN = `${OFFICE_JS_CDN_DIR}office.js`;

/**
 * ADDIN_URL as the base every manifest URL starts with (no trailing slash). Office loads add-ins
 * over https only, and a query, fragment or credentials would be pasted into every URL.
 */
export function addinBase(addinUrl) {
  let url;
  try {
    url = new URL(addinUrl);
  } catch {
    throw new Error(`ADDIN_URL "${addinUrl}" is not a URL (write it like https://addins.example.com/tokenledger)`);
  }
  if (url.protocol !== "https:") throw new Error(`ADDIN_URL must be https (Office loads add-ins over https only), got ${url.protocol}`);
  if (url.search || url.hash || url.username || url.password) {
    throw new Error("ADDIN_URL must be a plain https address: no query, fragment or credentials");
  }
  return url.href.replace(/\/+$/, "");
}

/** manifest.xml with every dev-server URL moved to `base`. */
export function manifestFor(devManifest, base) {
  return devManifest.replaceAll(`${DEV_ORIGIN}/`, `${base}/`);
}
