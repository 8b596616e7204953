#!/usr/bin/env node
// The sde-pulumi command. The code is in src/cli/sde-pulumi.ts, compiled to lib/ by `npm run build`
// (which `npm ci` and `npm install` run through `prepare`).
"use strict";
const { main } = require("../lib/cli/sde-pulumi.js");
require("../lib/cli/launch.js").launch(main, "sde-pulumi");
