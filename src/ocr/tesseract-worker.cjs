// Worker-thread entry for tesseract.js: Leptonica prints diagnostics ("Error in boxClipToRectangle",
// "Detected N diacritics") that are not errors of ours; drop them before the engine binds
// console.error, then run tesseract.js's own Node worker script.
'use strict';
const print = console.error.bind(console);
const diagnostic = /^(Error in |Warning in |Detected \d+ diacritics|Estimating resolution)/;
console.error = (...args) => {
  if (typeof args[0] === 'string' && diagnostic.test(args[0])) return;
  print(...args);
};
console.log = ((log) => (...args) => {
  if (typeof args[0] === 'string' && diagnostic.test(args[0])) return;
  log(...args);
})(console.log.bind(console));
require('tesseract.js/src/worker-script/node/index.js');
