import { DEFAULT_SEED, type SeedData } from "../../src/emulator";
import { connectionCreateSchema } from "../../src/schema";
import { call, CONNECTIONS, useEmulator } from "./helpers";

/**
 * The emulator judges with rules of its own (src/emulator/rules/), written from the references, not with
 * the client's schemas. Each case here is a request, sent straight over HTTP, on which the client's schema
 * (src/schema) and the reference disagree: the emulator must answer as the reference says. Were the
 * emulator to judge with the client's rule again, its answer would follow the client's and the case fail.
 * (Each case also states the client's verdict today; if the client is fixed, that line and the note in
 * src/emulator/README.md go.)
 */

/** Connectors the default seed lacks: a Trac one and a Pivotal Tracker one. */
const seed: SeedData = {
  ...structuredClone(DEFAULT_SEED),
  connectors: [
    ...structuredClone(DEFAULT_SEED.connectors ?? []),
    {
      id: 4,
      name: "Trac Connector",
      system: "trac",
      params: { issue_tracker_server: "trac.example.com", issue_tracker_user: "trac", issue_tracker_pass: "trac-password" },
    },
    {
      id: 5,
      name: "Pivotal Connector",
      system: "pivotal_tracker",
      params: { issue_tracker_server: "www.pivotaltracker.com", issue_tracker_user: "pt", issue_tracker_pass: "pt-password" },
    },
  ],
};
const emulator = useEmulator(() => ({ seed }));

/** A create on connector 1 (Jira), project 1, with these params added to a valid tracker project. */
const create = (params: Record<string, unknown>, connector = 1) => ({
  alias: "Rules",
  connector,
  project: 1,
  params: { issue_tracker_project: "PAY", ...params },
});
const clientAccepts = (body: unknown) => connectionCreateSchema.safeParse(body).success;

async function expectRefused(body: unknown, errors: unknown): Promise<void> {
  const before = emulator.current.connections();
  const reply = await call(emulator.current, "POST", CONNECTIONS, { json: body });
  expect([reply.status, reply.body]).toEqual([400, { params: errors }]);
  expect(emulator.current.connections()).toEqual(before);
}

async function expectCreated(body: { params: Record<string, unknown> }): Promise<void> {
  const reply = await call(emulator.current, "POST", CONNECTIONS, { json: body });
  expect(reply.status).toBe(201);
  expect(reply.body.params).toMatchObject(body.params);
}

describe("where the client's schema and the reference disagree, the emulator answers as the reference says", () => {
  test("empty phases and statuses are taken when selected_tasks names the tasks (the client refuses them)", async () => {
    // sde-api.md §3.2, alm_phases: "Must be non-empty unless `selected_tasks` is set"; sde_statuses_in_scope:
    // "non-empty unless `selected_tasks` is set".
    const selected = create({ selected_tasks: "T12,CT213", issue_tracker_phases: "", sde_statuses_in_scope: "" });
    expect(clientAccepts(selected)).toBe(false);
    await expectCreated(selected);
    // Without selected_tasks, empty phases are still refused, in the same words as before.
    const unselected = create({ issue_tracker_phases: "" });
    await expectRefused(unselected, {
      issue_tracker_phases: ["must not be empty: list one or more of requirements, architecture-design, development, testing"],
    });
  });

  test("selected_tasks must name task ids (the client takes any value)", async () => {
    // sde-api.md §3.2, selected_tasks: "comma list of task ids matching `^[^\d]+\d+$` (e.g. `T12`, `CT213`)".
    const body = create({ selected_tasks: "T12,12" });
    expect(clientAccepts(body)).toBe(true);
    await expectRefused(body, {
      selected_tasks: ['has item(s) "12" that are not task ids: use a comma-separated list such as "T12,CT213"'],
    });
  });

  test("a title format with $context needs the context (the client takes it without)", async () => {
    // sde-api.md §3.4: "`context` requires `alm_context`" (`issue_tracker_context` today, §3.2).
    const body = create({ issue_tracker_title_format: "[$context] $task_id $title" });
    expect(clientAccepts(body)).toBe(true);
    await expectRefused(body, {
      issue_tracker_context: ["is required when issue_tracker_title_format uses $context: set it, or take $context out of the format"],
    });
    await expectCreated(create({ issue_tracker_title_format: "[${context}] $task_id $title", issue_tracker_context: "Payments" }));
  });

  test("Trac connections cannot use the timestamp conflict policy (the client takes it for every system)", async () => {
    // sde-api.md §2.4, the Trac plugin's fields: conflict_policy ... `timestamp` ("Last Status Change",
    // **disabled** for Trac).
    const trac = create({ conflict_policy: "timestamp" }, 4);
    expect(clientAccepts(trac)).toBe(true);
    await expectRefused(trac, { conflict_policy: ['"timestamp" is not available for Trac connections: use issue_tracker or sde'] });
    await expectCreated(create({ conflict_policy: "sde" }, 4));
    // §3.3, JIRA: "`timestamp` conflict policy is enabled."
    await expectCreated(create({ conflict_policy: "timestamp" }, 1));
  });

  test("Pivotal Tracker's story type is one of its three (the client takes any value)", async () => {
    // sde-api.md §3.3, Pivotal Tracker: "`pt_story_type`: default `bug`; valid `feature`, `bug`, `chore`".
    const body = create({ pt_story_type: "epic" }, 5);
    expect(clientAccepts(body)).toBe(true);
    await expectRefused(body, { pt_story_type: ['"epic" is not a valid choice: use one of feature, bug, chore'] });
    await expectCreated(create({ pt_story_type: "chore", pt_done_statuses: "accepted,delivered" }, 5));
  });
});
