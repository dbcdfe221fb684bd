// Worker-thread entry for tesseract.js, in place of its own Node worker script, for two reasons:
// - Leptonica and Tesseract print diagnostics ("Error in boxClipToRectangle", "Detected N
//   diacritics") that are not errors of ours: they are dropped before the engine binds console.error.
// - tesseract.js 7's Node getCore is handed a boolean where it compares OEM numbers, so it always
//   loads the build with the legacy engine; this entry loads the LSTM-only SIMD build the pool uses.
'use strict';
const { parentPort } = require('node:worker_threads');

const print = console.error.bind(console);
// "Parameter not found": legacy-engine settings in the model's config, unknown to the LSTM-only build
const diagnostic = /^(Error in |Warning in |Warning: Parameter not found|Detected \d+ diacritics|Estimating resolution)/;
console.error = (...args) => {
  if (typeof args[0] === 'string' && diagnostic.test(args[0])) return;
  print(...args);
};
console.log = ((log) => (...args) => {
  if (typeof args[0] === 'string' && diagnostic.test(args[0])) return;
  log(...args);
})(console.log.bind(console));

const worker = require('tesseract.js/src/worker-script/index.js');

// Node 20+ always has WebAssembly SIMD; the relaxed-SIMD build needs a V8 flag there and measured
// no faster on these pages.
let core = null;
async function getCore() {
  core ??= require('tesseract.js-core/tesseract-core-simd-lstm');
  return core;
}

worker.setAdapter({
  getCore,
  gunzip: require('tesseract.js/src/worker-script/node/gunzip.js'),
  fetch: globalThis.fetch,
  ...require('tesseract.js/src/worker-script/node/cache.js'),
});
parentPort.on('message', (packet) => worker.dispatchHandlers(packet, (message) => parentPort.postMessage(message)));
