#!/usr/bin/env node
// The sde-emulator command. The code is in src/cli/emulator.ts, compiled to lib/ by `npm run build`
// (which `npm ci` and `npm install` run through `prepare`).
"use strict";
require("../lib/cli/emulator.js").run();
