#!/usr/bin/env node
// The sde-emulator command. The code is in src/cli/emulator.ts, compiled to lib/ by `npm run build`
// (which `npm ci` and `npm install` run through `prepare`).
"use strict";
const { main } = require("../lib/cli/emulator.js");
require("../lib/cli/launch.js").launch(main, "sde-emulator");
