import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { OFFICE_JS_CDN, OFFICE_JS_CDN_DIR } from "../addin/hosting.js";

/**
 * What the task pane's browser test and its benchmark share: the built add-in and the catalogue
 * snapshots served from a local https server (a self-signed certificate made on the spot), and
 * Debian's Chromium driven by playwright-core.
 */

/** The repository: the first folder up from this file with webpack.config.js (the bench runs a bundled copy from bench/.build/). */
function findRoot(from: string): string {
  return fs.existsSync(path.join(from, "webpack.config.js")) ? from : findRoot(path.dirname(from));
}

export const repoRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const dist = path.join(repoRoot, "dist");
export const dataDir = path.resolve(repoRoot, "../shared/data");

/**
 * The task pane built with the reference fixture as its bundled catalogue: what the pane's tests
 * open, so they price with the contract's catalogue and not the shipped default, whose prices move.
 */
export const testDist = path.join(repoRoot, "dist-test");

/** npm test builds both first; a lone run of a test or the bench builds what has no page yet. */
export function ensureBuilt(target = dist): void {
  if (fs.existsSync(path.join(target, "taskpane.html"))) return;
  const args = target === dist ? ["run", "build", "--silent"] : ["run", "build:test-pane", "--silent"];
  const built = spawnSync("npm", args, { cwd: repoRoot, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`npm ${args.join(" ")} failed`);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".map": "application/json",
};

export type Route = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;

export interface PaneServer {
  /** https://127.0.0.1:port */
  readonly origin: string;
  close(): Promise<void>;
}

function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cert-"));
  try {
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A file under `root` for a URL path, never outside it. */
function fileUnder(root: string, urlPath: string): string | undefined {
  const file = path.resolve(root, `.${decodeURIComponent(urlPath)}`);
  return file.startsWith(root + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? file : undefined;
}

/** Serves a build (dist/) at /, the snapshots at /data/, and `routes` by exact path, on an ephemeral port. */
export async function startServer(routes: Record<string, Route> = {}, root = dist): Promise<PaneServer> {
  if (spawnSync("openssl", ["version"]).status !== 0) throw new Error("the browser test needs openssl for its certificate");
  const server = https.createServer(selfSignedCert(), (req, res) => {
    const urlPath = new URL(req.url ?? "/", "https://x").pathname;
    const route = routes[urlPath];
    if (route) return route(req, res);
    const file = urlPath.startsWith("/data/") ? fileUnder(dataDir, urlPath.slice(5)) : fileUnder(root, urlPath);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // routes that never answer hold theirs open
        server.close(() => resolve());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  // Required at run time, not imported: `npm run bench` bundles its cases with esbuild, and
  // Playwright does not survive bundling (it reads its own files beside its modules).
  const { chromium } = createRequire(import.meta.url)("playwright-core") as typeof import("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--ignore-certificate-errors",
    ],
  });
}

const officeJsDir = path.join(repoRoot, "node_modules/@microsoft/office-js/dist");

/**
 * The production page takes office.js from Microsoft's CDN; tests have no internet, so the CDN
 * folder is answered from the npm copy of the same files (what office.js loads next, too).
 * Returns the CDN URLs requested.
 */
export async function routeOfficeJs(target: BrowserContext | Page): Promise<string[]> {
  const requested: string[] = [];
  await target.route(`${OFFICE_JS_CDN_DIR}**`, (route) => {
    const url = route.request().url();
    requested.push(url);
    const file = fileUnder(officeJsDir, `/${new URL(url).pathname.slice(new URL(OFFICE_JS_CDN_DIR).pathname.length)}`);
    return file ? route.fulfill({ path: file, contentType: TYPES[".js"] }) : route.fulfill({ status: 404, body: "not found" });
  });
  return requested;
}

/**
 * Serves the built page with office.js's custom-functions runtime right after office.js, from the
 * same CDN folder: in Excel office.js loads that runtime before the page's own scripts run, outside
 * Excel it does not. Throws when the page no longer loads office.js where expected.
 */
export async function routePageWithFunctionsRuntime(context: BrowserContext, server: PaneServer): Promise<void> {
  await context.route(`${server.origin}/taskpane.html`, (route) => {
    const html = fs.readFileSync(path.join(dist, "taskpane.html"), "utf8");
    const officeJs = `<script src=${OFFICE_JS_CDN}></script>`;
    if (!html.includes(officeJs)) throw new Error(`taskpane.html no longer loads ${OFFICE_JS_CDN}`);
    const withRuntime = html.replace(officeJs, `${officeJs}<script src=${OFFICE_JS_CDN_DIR}custom-functions-runtime.js></script>`);
    return route.fulfill({ body: withRuntime, contentType: "text/html" });
  });
}
