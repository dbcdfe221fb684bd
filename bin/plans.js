#!/usr/bin/env node
// Entry for `npx plans`: runs the compiled CLI (built by `npm install` through the prepare script).
import '../dist/src/cli/main.js';
