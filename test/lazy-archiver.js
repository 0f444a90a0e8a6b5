// jest moduleNameMapper target for `archiver` (.projenrc.ts). cdktf requires archiver when it
// loads (lib/private/fs.js: about 200 modules) but calls it only to zip a TerraformAsset
// directory. Jest loads every module afresh for each test file, so each file paid that load; this
// stand-in loads the real package on the first call, with the same arguments and result.
'use strict';
const path = require('path');

let real;
module.exports = function archiver(...args) {
  // An absolute path: the mapper matches the bare name only, so this reaches the real package.
  real ??= require(path.join(__dirname, '..', 'node_modules', 'archiver'));
  return real(...args);
};
