// jest's test sequencer, with durations for a machine that has never run the suite.
//
// jest starts the longest test files first, to keep both workers busy until the end, but it
// learns durations only from its own cache, which a fresh clone (CI) does not have; it then falls
// back to file size, and a long suite with a short file can start last and run alone. Here a
// file's duration is jest's cached one when there is one, else the committed test/durations.json
// (refreshed with `npx projen test:durations` after a full run), else unknown (jest runs unknown
// files first). Failed-first ordering and everything else are jest's.
'use strict';
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.join(__dirname, '..');
const committed = require('./durations.json');

class DurationSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? committed[path.relative(ROOT, test.path).split(path.sep).join('/')];
  }
}

module.exports = DurationSequencer;
