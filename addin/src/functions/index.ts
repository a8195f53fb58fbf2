/// <reference types="webpack/module" />
import { config } from "zod";

// The page's CSP refuses eval; without this zod probes `new Function` on its first parse (to
// compile a fast path) and the browser reports a CSP violation. Set before anything parses.
config({ jitless: true });

/**
 * Entry of the custom functions: loads every domain file of this folder (each declares its
 * worksheet functions; the build appends their CustomFunctions.associate calls). Loading the
 * folder rather than naming files keeps it in step with addin/functions-files.js, which lists
 * the same files, by the same rule, for the metadata.
 */
const domains = import.meta.webpackContext(".", { recursive: false, regExp: /^\.\/(?!excel\.ts$|index\.ts$)[\w-]+\.ts$/ });
domains.keys().forEach(domains);
