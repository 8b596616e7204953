import type { EngineEvent, Step } from "../../src/engine";
import { makeSecret } from "../../src/engine";
import { formatDuration, progressLine, renderOperation, wantsColor, type RenderOptions } from "../../src/cli/render";

// The runner's output against recorded step events (the engine's, as an operation reports them): what the
// Pulumi CLI prints for the same operation. Pure functions: no engine, no timing.
const TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";
const STACK_URN = "urn:pulumi:demo::shop::pulumi:pulumi:Stack::shop-demo";
const TEAM_URN = "urn:pulumi:demo::shop::acme:index:Team::payments";
const urn = (name: string, parent = "") => `urn:pulumi:demo::shop::${parent}${TYPE}::${name}`;

const stackStep = (op: Step["op"]): Step => ({
  op,
  urn: STACK_URN,
  name: "shop-demo",
  type: "pulumi:pulumi:Stack",
  custom: false,
  parent: "",
});
const teamStep = (op: Step["op"]): Step => ({
  op,
  urn: TEAM_URN,
  name: "payments",
  type: "acme:index:Team",
  custom: false,
  parent: STACK_URN,
});
const connection = (name: string, op: Step["op"], more: Partial<Step> = {}, parent = STACK_URN): Step => ({
  op,
  urn: parent === TEAM_URN ? urn(name, "acme:index:Team$") : urn(name),
  name,
  type: TYPE,
  custom: true,
  parent,
  ...more,
});

/** A step's events as the engine reports them: its registration (custom ones), its start and its end. */
function ran(step: Step, end: "done" | "failed" = "done"): EngineEvent[] {
  const check: EngineEvent[] =
    step.custom && step.op !== "delete" ? [{ kind: "check", urn: step.urn, type: step.type, name: step.name, parent: step.parent }] : [];
  return [...check, { kind: "pre", step }, { kind: end, step }];
}

const options = (kind: RenderOptions["kind"], more: Partial<RenderOptions> = {}): RenderOptions => ({
  kind,
  color: false,
  diff: false,
  stackUrn: STACK_URN,
  ...more,
});

test("a first preview: the stack root and the tree in registration order, Outputs before Resources, the stack counted, no Duration", () => {
  const events = [
    ...ran(stackStep("create")),
    ...ran(teamStep("create")),
    ...ran(connection("payments-jira", "create", { news: { alias: "Payments Jira" } }, TEAM_URN)),
    ...ran(connection("ops-jira", "create", { news: { alias: "Ops Jira" } })),
  ];
  const lines = renderOperation(
    { events, outputs: { id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", project: 1 }, failed: false, durationMs: 2400 },
    options("preview"),
  );
  expect(lines.join("\n")).toBe(
    [
      "     Type                                                           Name           Plan",
      " +   pulumi:pulumi:Stack                                            shop-demo      create",
      ` +   ├─ acme:index:Team                                             payments       create`,
      ` +   │  └─ ${TYPE}  payments-jira  create`,
      ` +   └─ ${TYPE}     ops-jira       create`,
      "",
      "Outputs:",
      "    id     : output<string>",
      "    project: 1",
      "",
      "Resources:",
      "    + 4 to create",
      "",
    ].join("\n"),
  );
});

test("an update: unchanged resources are hidden under the root, a change shows its properties, the summary counts the rest as unchanged, and Duration", () => {
  const events = [
    ...ran(stackStep("same")),
    ...ran(connection("ops-jira", "same")),
    ...ran(connection("payments-jira", "update", { changed: ["alias", "params"], olds: { alias: "A" }, news: { alias: "B" } })),
  ];
  const lines = renderOperation({ events, outputs: {}, failed: false, durationMs: 65_400 }, options("update"));
  expect(lines).toEqual([
    `     Type                                                        Name           Status   Info`,
    `     pulumi:pulumi:Stack                                         shop-demo`,
    ` ~   └─ ${TYPE}  payments-jira  updated  [diff: ~alias,params]`,
    "",
    "Resources:",
    "    ~ 1 updated",
    "    2 unchanged",
    "",
    "Duration: 1m5s",
    "",
  ]);
});

test("replace, delete and a retained delete: their symbols and labels, and the CLI's change count line", () => {
  const events = [
    ...ran(stackStep("same")),
    ...ran(connection("a", "replace", { changed: ["adoptId"] })),
    ...ran(connection("b", "delete")),
    ...ran(connection("c", "delete", { retain: true })),
  ];
  const preview = renderOperation({ events, failed: false }, options("preview"));
  expect(preview.slice(1, 5)).toEqual([
    "     pulumi:pulumi:Stack                                         shop-demo",
    ` +-  ├─ ${TYPE}  a          replace         [diff: ~adoptId]`,
    ` -   ├─ ${TYPE}  b          delete`,
    ` -   └─ ${TYPE}  c          delete[retain]`,
  ]);
  expect(preview.slice(preview.indexOf("Resources:"))).toEqual([
    "Resources:",
    "    +-1 to replace",
    "    - 2 to delete",
    "    3 changes. 1 unchanged",
    "",
  ]);
  const update = renderOperation({ events, failed: false, durationMs: 900 }, options("destroy"));
  expect(update.join("\n")).toContain(`c          deleted[retain]`);
  expect(update.join("\n")).toContain("Duration: 1s");
});

test("a refresh that finds no drift is unchanged; drift is an update with the properties that moved; a connection gone is deleted", () => {
  const quiet = [...ran(stackStep("same")), ...ran(connection("a", "refresh", { changed: [] }))];
  expect(renderOperation({ events: quiet, failed: false, durationMs: 1000 }, options("refresh"))).toEqual([
    "     Type                 Name       Status",
    "     pulumi:pulumi:Stack  shop-demo",
    "",
    "Resources:",
    "    2 unchanged",
    "",
    "Duration: 1s",
    "",
  ]);
  const drift = [...ran(stackStep("same")), ...ran(connection("a", "refresh", { changed: ["alias"] })), ...ran(connection("b", "gone"))];
  const lines = renderOperation({ events: drift, failed: false, durationMs: 1000 }, options("refresh"));
  expect(lines).toContain(` ~   ├─ ${TYPE}  a          updated  [diff: ~alias]`);
  expect(lines).toContain(` -   └─ ${TYPE}  b          deleted`);
  expect(lines.slice(lines.indexOf("Resources:"), lines.indexOf("Resources:") + 4)).toEqual([
    "Resources:",
    "    ~ 1 updated",
    "    - 1 deleted",
    "    2 changes. 1 unchanged",
  ]);
});

test("an adopted connection is marked as such, in the plan and once done", () => {
  const events = [...ran(stackStep("create")), ...ran(connection("rally", "create", { news: { adoptId: 1, alias: "Rally Integration" } }))];
  expect(renderOperation({ events, failed: false }, options("preview"))[2]).toBe(
    ` +   └─ ${TYPE}  rally      create  [adopts connection 1]`,
  );
  expect(renderOperation({ events, failed: false }, options("update"))[2]).toBe(
    ` +   └─ ${TYPE}  rally      created  [adopted connection 1]`,
  );
});

test("a failure: each error once, under its resource; the stack says the update failed; no outputs", () => {
  const failing = connection("bad", "create");
  const events: EngineEvent[] = [
    ...ran(stackStep("create")),
    ...ran(failing, "failed"),
    {
      kind: "diagnostic",
      urn: failing.urn,
      severity: "error",
      message: 'creating connection "X": POST … → 400: project: Invalid pk "99"\n',
    },
    { kind: "diagnostic", severity: "warning", message: "the connection test was skipped" },
  ];
  const text = renderOperation({ events, outputs: { id: 5 }, failed: true, durationMs: 3000 }, options("update")).join("\n");
  expect(text).toBe(
    [
      "     Type                                                        Name       Status               Info",
      " +   pulumi:pulumi:Stack                                         shop-demo  **failed**           1 error 1 warning",
      ` +   └─ ${TYPE}  bad        **creating failed**  1 error`,
      "",
      "Diagnostics:",
      "  pulumi:pulumi:Stack (shop-demo):",
      "    warning: the connection test was skipped",
      "    error: update failed",
      "",
      `  ${TYPE} (bad):`,
      '    error: creating connection "X": POST … → 400: project: Invalid pk "99"',
      "",
      "Resources:",
      "    + 1 created",
      "",
      "Duration: 3s",
      "",
    ].join("\n"),
  );
  expect(text.match(/Invalid pk/g)).toHaveLength(1);
});

test("a failed check: the resource is shown with its error, and the preview fails under the stack", () => {
  const bad = connection("wrong-password", "create");
  const events: EngineEvent[] = [
    ...ran(stackStep("create")),
    { kind: "check", urn: bad.urn, type: TYPE, name: bad.name, parent: STACK_URN },
    { kind: "diagnostic", urn: bad.urn, severity: "error", message: "property params: the connection test failed" },
  ];
  const lines = renderOperation({ events, failed: true }, options("preview"));
  expect(lines.slice(0, 3)).toEqual([
    "     Type                                                        Name            Plan    Info",
    " +   pulumi:pulumi:Stack                                         shop-demo       create  1 error",
    `     └─ ${TYPE}  wrong-password          1 error`,
  ]);
  expect(lines).toContain("    error: preview failed");
  expect(lines).toContain("    error: property params: the connection test failed");
});

test("--diff: each change property by property, objects key by key, secrets hidden", () => {
  const events = [
    ...ran(stackStep("same")),
    ...ran(
      connection("payments-jira", "update", {
        changed: ["alias", "params"],
        olds: { alias: "Payments Jira", connector: 1, params: { issue_tracker_project: "PAY", issue_tracker_pass: makeSecret("old-pw") } },
        news: {
          alias: "Payments EU Jira",
          connector: 1,
          debugMode: true,
          params: { issue_tracker_project: "OPS", issue_tracker_pass: makeSecret("new-pw") },
        },
      }),
    ),
    ...ran(connection("gone", "delete", { olds: { alias: "Gone" } })),
  ];
  const lines = renderOperation({ events, outputs: {}, failed: false }, options("preview", { diff: true }));
  expect(lines.slice(0, lines.indexOf(""))).toEqual([
    "    pulumi:pulumi:Stack: (same)",
    `      [urn=${STACK_URN}]`,
    `      ~ ${TYPE}: (update)`,
    `          [urn=${urn("payments-jira")}]`,
    '          ~ alias    : "Payments Jira" => "Payments EU Jira"',
    "          + debugMode: true",
    "          ~ params   : {",
    "              ~ issue_tracker_pass   : [secret] => [secret]",
    '              ~ issue_tracker_project: "PAY" => "OPS"',
    "            }",
    `      - ${TYPE}: (delete)`,
    `          [urn=${urn("gone")}]`,
    '          - alias: "Gone"',
  ]);
  expect(lines.join("\n")).not.toMatch(/old-pw|new-pw/);
});

test("colour on a terminal unless NO_COLOR is set; none in a pipe", () => {
  expect(wantsColor({ isTTY: true }, {})).toBe(true);
  expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  expect(wantsColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
  expect(wantsColor({ isTTY: false }, {})).toBe(false);
  expect(wantsColor({}, {})).toBe(false);
  const events = [...ran(stackStep("create")), ...ran(connection("a", "create"))];
  expect(renderOperation({ events, failed: false }, options("update", { color: true }))[1]).toContain("\u001b[32m+  \u001b[0m");
  expect(renderOperation({ events, failed: false }, options("update")).join("\n")).not.toContain("\u001b[");
});

test("progress: a line when a resource's check starts and when each step starts work, none for a preview's plan", () => {
  const step = connection("payments-jira", "create");
  expect(progressLine({ kind: "check", urn: step.urn, type: TYPE, name: step.name, parent: STACK_URN }, options("preview"))).toBe(
    `    ${TYPE} payments-jira checking...`,
  );
  // up's preview, held back but for its progress.
  expect(progressLine({ kind: "previewing", urn: step.urn, type: TYPE, name: step.name, parent: STACK_URN }, options("update"))).toBe(
    `    ${TYPE} payments-jira previewing...`,
  );
  expect(progressLine({ kind: "pre", step }, options("update"))).toBe(` +  ${TYPE} payments-jira creating...`);
  expect(progressLine({ kind: "pre", step: { ...step, op: "refresh" } }, options("refresh"))).toBe(
    `    ${TYPE} payments-jira refreshing...`,
  );
  expect(progressLine({ kind: "pre", step }, options("preview"))).toBeUndefined();
  expect(progressLine({ kind: "pre", step: { ...step, op: "same" } }, options("update"))).toBeUndefined();
  expect(progressLine({ kind: "pre", step: stackStep("create") }, options("update"))).toBeUndefined();
  expect(progressLine({ kind: "done", step }, options("update"))).toBeUndefined();
});

test("durations as the CLI rounds them", () => {
  expect([formatDuration(200), formatDuration(1400), formatDuration(59_600), formatDuration(125_000)]).toEqual([
    "1s",
    "1s",
    "1m0s",
    "2m5s",
  ]);
});
