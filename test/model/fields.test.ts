// The field table against the schemas of each shape: every argument, API field and stored output it names
// exists there, and nothing there is missing from it; and the conversions it drives, round trip.
import { patchFor, programFieldsOf, toApiBody, type ApiFields } from "../../src/model/api-body";
import { diffConnection } from "../../src/model/diff";
import { API_NAME, CONNECTION_FIELDS, PROGRAM_NAMES, SCALAR_FIELDS, STORED_NAMES } from "../../src/model/fields";
import { connectionInputsSchema, type ConnectionInputs } from "../../src/model/inputs";
import { managementOf, toInputs, toState } from "../../src/model/state";
import { connectionCreateSchema, connectionSchema, type Connection } from "../../src/schema/connection";

const PASSWORD = "Round-Trip-Pa55";

/** Checked inputs with every argument set to something other than its default. */
const inputs: ConnectionInputs = connectionInputsSchema.parse({
  alias: "Payments Jira",
  connector: 3,
  project: 12,
  frequency: "weekly",
  debugMode: true,
  params: { issue_tracker_project: "PAY", issue_tracker_pass: PASSWORD, sde_min_priority: 8 },
  testConnection: false,
  adoptId: 41,
});

/** What the API answers to a create of `body`: the body, the server's fields, params merged with the connector's. */
function answerTo(body: ApiFields<ConnectionInputs>, over: Partial<Connection> = {}): Connection {
  return {
    id: 41,
    ...body,
    params: { issue_tracker_server: "jira.example.com", issue_tracker_user: "connector-user", ...body.params },
    system: { id: "jira", name: "JIRA", short_name: "JIRA" },
    command: "sync_jira",
    inaccessible: false,
    ...over,
  };
}

describe("the field table", () => {
  test("names every argument of the inputs' schema, in its order", () => {
    expect(PROGRAM_NAMES).toEqual(Object.keys(connectionInputsSchema.shape));
  });

  test("names, for every argument that is sent, a field of the API's create body, and every field of it", () => {
    const sent = CONNECTION_FIELDS.flatMap((f) => ("program" in f && "api" in f ? [f.api] : []));
    expect(new Set(sent)).toEqual(new Set(Object.keys(connectionCreateSchema.shape)));
    expect(API_NAME.debugMode).toBe("debug_mode");
  });

  test("names only fields of the API's answer", () => {
    const answer = Object.keys(connectionSchema.shape);
    for (const f of CONNECTION_FIELDS) if ("api" in f) expect(answer).toContain(f.api.split(".")[0]);
  });

  test("names every stored output, in the order toState writes them", () => {
    const everything = toState(
      answerTo(toApiBody(inputs), { in_progress: false, last_job: null, params: { last_successful_run: "2024-05-01T10:00:00Z" } }),
      managementOf(inputs),
    );
    expect(Object.keys(everything)).toEqual(STORED_NAMES);
  });

  test("gives each kind the shapes it lives in: provider-own never sent, server-only never an argument", () => {
    for (const f of CONNECTION_FIELDS) {
      if (f.kind === "provider-own") expect(f).not.toHaveProperty("api");
      if (f.kind === "server-only") expect(f).not.toHaveProperty("program");
    }
  });
});

describe("round trips", () => {
  test("arguments → API body → arguments", () => {
    const body = toApiBody(inputs);
    expect(body).toEqual({
      alias: "Payments Jira",
      connector: 3,
      project: 12,
      frequency: "weekly",
      debug_mode: true,
      params: inputs.params,
    });
    const { params, testConnection, adoptId } = inputs;
    expect({ ...programFieldsOf(body), params, testConnection, adoptId }).toEqual(inputs);
  });

  test("arguments → API body → answer → stored outputs → arguments: what the program said", () => {
    const state = toState(answerTo(toApiBody(inputs)), managementOf(inputs));
    expect(toInputs(state)).toEqual(inputs);
    // ... which the inputs' schema takes as they are, and which diff finds equal to the stored outputs.
    expect(connectionInputsSchema.parse(toInputs(state))).toEqual(inputs);
    expect(diffConnection(state, inputs)).toEqual([]);
  });

  test("stored outputs → arguments → outputs of the same answer: the same outputs", () => {
    const state = toState(answerTo(toApiBody(inputs)), managementOf(inputs));
    const again = connectionInputsSchema.parse(toInputs(state));
    expect(toState(answerTo(toApiBody(again)), managementOf(again))).toEqual(state);
  });

  test.each(SCALAR_FIELDS.map((f) => [f.program, f.api] as const))(
    "a changed %s is PATCHed as %s, and the PATCH applied gives the new body",
    (program, api) => {
      const changed: ConnectionInputs = { ...inputs, alias: "Renamed", connector: 4, project: 13, frequency: "daily", debugMode: false };
      const state = toState(answerTo(toApiBody(inputs)), managementOf(inputs));
      const news = { ...inputs, [program]: changed[program] };
      const changes = diffConnection(state, news);
      expect(changes.map((c) => c.property)).toEqual([program]);
      const patch = patchFor(changes, news);
      expect(patch).toEqual({ [api]: changed[program] });
      expect({ ...toApiBody(inputs), ...patch }).toEqual(toApiBody(news));
    },
  );

  test("params: a changed one is PATCHed with its value, a dropped one as null", () => {
    const state = toState(answerTo(toApiBody(inputs)), managementOf(inputs));
    const { sde_min_priority: _dropped, ...kept } = inputs.params;
    const news = { ...inputs, params: { ...kept, issue_tracker_project: "OPS" } };
    expect(patchFor(diffConnection(state, news), news)).toEqual({ params: { issue_tracker_project: "OPS", sde_min_priority: null } });
  });
});
