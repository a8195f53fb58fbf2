#!/usr/bin/env node
// The CLI is bundled into dist/ by ../build.mjs (the root `prepare` script, run by npm ci).
import "../dist/llmcalc.mjs";
