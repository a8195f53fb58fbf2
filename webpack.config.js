import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import CopyPlugin from "copy-webpack-plugin";
import webpack from "webpack";
import CustomFunctionsMetadataPlugin from "custom-functions-metadata-plugin";
import HtmlWebpackPlugin from "html-webpack-plugin";
import { functionFiles } from "./addin/functions-files.js";
import { helpPage, withHelpUrls } from "./addin/help-page.js";
import { DEV_ORIGIN, OFFICE_JS_CDN, OFFICE_JS_CDN_DIR, addinBase, manifestFor } from "./addin/hosting.js";

/**
 * One shared-runtime page, taskpane.html, runs both the TL custom functions and the task pane
 * (manifest.xml points the functions' Page, the task pane and the runtime at it).
 *
 * `ADDIN_URL=https://host/path npm run build` is the production build for that host: dist/ with
 * a manifest.xml whose every URL is on it, the page taking office.js from Microsoft's CDN. The
 * dev server (`npm start`) serves the npm copy of office.js at https://localhost:3000.
 */

const root = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(root, "addin/src");
const PORT = 3000;

/**
 * office-addin-dev-certs writes these; it cannot install its CA without sudo, so the dev server
 * reads the files itself and the user trusts ca.crt by hand (see README).
 */
const certDir = path.join(os.homedir(), ".office-addin-dev-certs");
const certFiles = {
  ca: path.join(certDir, "ca.crt"),
  cert: path.join(certDir, "localhost.crt"),
  key: path.join(certDir, "localhost.key"),
};

function certUsable() {
  if (!Object.values(certFiles).every((file) => fs.existsSync(file))) return false;
  return Date.parse(new X509Certificate(fs.readFileSync(certFiles.cert)).validTo) > Date.now();
}

/** The dev server's TLS options, generating the certificates (without installing) when missing or expired. */
async function httpsOptions() {
  if (!certUsable()) {
    // generateCertificates leaves existing files alone, so an expired set goes first.
    for (const file of Object.values(certFiles)) fs.rmSync(file, { force: true });
    const { generateCertificates } = (await import("office-addin-dev-certs")).default;
    await generateCertificates(certFiles.ca, certFiles.cert, certFiles.key);
    console.log(`New development CA: trust ${certFiles.ca} in your browser or OS (see README).`);
  }
  return Object.fromEntries(Object.entries(certFiles).map(([name, file]) => [name, fs.readFileSync(file)]));
}

/**
 * Size budgets, gzip, office.js excluded: what each entry makes the page load (its own code, the
 * shared core chunk and the runtime). The build fails above them and records the figures in
 * dist/bundle-sizes.json for `npm run bench`.
 */
const BUDGETS_GZIP = { functions: 100 * 1024, taskpane: 250 * 1024 };

class SizeBudgetPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("SizeBudgetPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "SizeBudgetPlugin", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const sizes = {};
          for (const [entry, budget] of Object.entries(BUDGETS_GZIP)) {
            const files = [...compilation.entrypoints.get(entry).getFiles()].filter((f) => /\.(js|css)$/.test(f));
            const gzip = files.reduce((total, f) => total + gzipSync(compilation.getAsset(f).source.buffer()).length, 0);
            sizes[entry] = { files, gzipBytes: gzip, budgetBytes: budget };
            if (gzip > budget) {
              compilation.errors.push(
                new compiler.webpack.WebpackError(
                  `${entry} loads ${(gzip / 1024).toFixed(1)} KB gzip, over its ${budget / 1024} KB budget`,
                ),
              );
            }
          }
          compilation.emitAsset("bundle-sizes.json", new compiler.webpack.sources.RawSource(JSON.stringify(sizes, null, 2)));
        },
      );
    });
  }
}

/**
 * What the build writes for its host: manifest.xml with every URL under `base`, functions.json
 * with each function's help URL, and help.html, the reference those URLs open.
 */
class HostingPlugin {
  constructor(base) {
    this.base = base;
  }

  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap("HostingPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "HostingPlugin", stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONS },
        () => {
          const metadata = compilation.getAsset("functions.json");
          if (!metadata) return; // the metadata plugin reported why
          const json = metadata.source.source().toString();
          compilation.updateAsset("functions.json", new RawSource(withHelpUrls(json, this.base)));
          compilation.emitAsset("help.html", new RawSource(helpPage(json)));
          const manifest = fs.readFileSync(path.join(root, "manifest.xml"), "utf8");
          compilation.emitAsset("manifest.xml", new RawSource(manifestFor(manifest, this.base)));
        },
      );
    });
  }
}

/** Production loads office.js from the CDN, and the CSP allows that folder (office.js loads its host files from it). */
const officeJs = (production) =>
  production ? { src: OFFICE_JS_CDN, scriptSrc: `'self' ${OFFICE_JS_CDN_DIR}` } : { src: "office-js/office.js", scriptSrc: "'self'" };

export default async (env, argv) => {
  const production = argv.mode === "production";
  const base = addinBase(production && process.env.ADDIN_URL ? process.env.ADDIN_URL : DEV_ORIGIN);
  return {
    context: root,
    entry: {
      functions: path.join(src, "functions/index.ts"),
      taskpane: path.join(src, "taskpane/taskpane.ts"),
    },
    output: {
      path: path.join(root, "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: "ts-loader",
          // Type errors are `tsc`'s job (npm test runs it); the root tsconfig is noEmit for tsc.
          options: { transpileOnly: true, compilerOptions: { noEmit: false } },
        },
      ],
    },
    // eval source maps would need 'unsafe-eval', which the page's CSP refuses.
    devtool: "source-map",
    optimization: {
      // One webpack runtime for the page, so both entries share one instance of core (one active catalogue).
      runtimeChunk: "single",
      splitChunks: {
        cacheGroups: {
          core: {
            name: "core",
            // What both entries use; what only the task pane uses (refresh, actuals) stays in its bundle.
            test: /[\\/](packages[\\/]core|node_modules[\\/](decimal\.js|zod))[\\/]/,
            chunks: "all",
            minChunks: 2,
            enforce: true,
          },
        },
      },
    },
    plugins: [
      // The task pane's own tests build it with the reference fixture as its bundled catalogue
      // (npm run build:test-pane), so they price with the contract's catalogue, not the shipped one.
      ...(env.catalogue
        ? [
            new webpack.NormalModuleReplacementPlugin(/^\.\/bundled\.json$/, (resource) => {
              if (resource.context.endsWith(path.join("core", "src", "catalogue"))) resource.request = path.resolve(root, env.catalogue);
            }),
          ]
        : []),
      // Budgets hold what users download; the unminified dev build is far larger and not shipped.
      ...(production ? [new SizeBudgetPlugin()] : []),
      new CustomFunctionsMetadataPlugin({ input: functionFiles(), output: "functions.json" }),
      new HostingPlugin(base),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: path.join(src, "taskpane/taskpane.html"),
        templateParameters: { officeJs: officeJs(production) },
        chunks: ["runtime", "core", "functions", "taskpane"],
        chunksSortMode: "manual",
      }),
      new CopyPlugin({
        patterns: [
          { from: "addin/assets/*.png", to: "assets/[name][ext]" },
          { from: "addin/src/taskpane/taskpane.css", to: "[name][ext]" },
          // The dev server's office.js, shipped as published (re-minifying it would take minutes).
          ...(production
            ? []
            : [
                {
                  from: "node_modules/@microsoft/office-js/dist",
                  to: "office-js",
                  globOptions: { ignore: ["**/*.debug.js"] },
                  info: { minimized: true },
                },
              ]),
        ],
      }),
    ],
    // The copied office.js files are Microsoft's; list and size only ours.
    stats: { excludeAssets: [/^office-js\//] },
    // SizeBudgetPlugin holds the gzip budgets; webpack's own hint counts raw bytes against 244 KiB.
    performance: false,
    devServer: env.WEBPACK_SERVE
      ? {
          port: PORT,
          server: { type: "https", options: await httpsOptions() },
          // Office loads the add-in's pages and metadata from its own origins.
          headers: { "Access-Control-Allow-Origin": "*" },
          static: false,
        }
      : undefined,
  };
};
