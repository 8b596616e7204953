import { assignResourceNames, compareConnections, credentialConfigKey, resourceNameFor, slug } from "../../src/export/naming";

test("names come from the project id and the alias, readable and lower case", () => {
  expect(resourceNameFor(12, "Payments Jira")).toBe("p12-payments-jira");
  expect(resourceNameFor(3, "  Équipe  Sécurité / Rally (EU) ")).toBe("p3-equipe-securite-rally-eu");
});

test("an alias with no usable letter still gets a name, and long aliases are cut", () => {
  expect(slug("日本語の接続")).toBe("connection");
  expect(slug("---")).toBe("connection");
  const long = slug("a very long alias ".repeat(20));
  expect(long.length).toBeLessThanOrEqual(48);
  expect(long).not.toMatch(/-$/);
  expect(slug("x_y")).toBe("x-y");
});

test("where names collide the oldest keeps the plain name and the others get their id; listing order does not matter", () => {
  const connections = [
    { id: 7, project: 1, alias: "Payments Jira" },
    { id: 9, project: 1, alias: "payments-jira" },
    { id: 8, project: 2, alias: "Payments Jira" },
    // Its natural name looks like a suffixed one, but natural names never contain "_".
    { id: 10, project: 1, alias: "Payments Jira 7" },
  ];
  const names = assignResourceNames(connections);
  expect(Object.fromEntries(names)).toEqual({
    7: "p1-payments-jira",
    9: "p1-payments-jira_9",
    8: "p2-payments-jira",
    10: "p1-payments-jira-7",
  });
  expect(Object.fromEntries(assignResourceNames([...connections].reverse()))).toEqual(Object.fromEntries(names));
  expect(new Set(names.values()).size).toBe(connections.length);
});

test("a newer look-alike does not rename the resource of the connection that was there first", () => {
  const before = assignResourceNames([{ id: 7, project: 1, alias: "Payments Jira" }]);
  const after = assignResourceNames([
    { id: 7, project: 1, alias: "Payments Jira" },
    { id: 12, project: 1, alias: "payments jira" },
  ]);
  expect(after.get(7)).toBe(before.get(7));
  expect(after.get(12)).toBe("p1-payments-jira_12");
});

test("config keys are the resource name and the param, so two resources never share one", () => {
  expect(credentialConfigKey("p12-payments-jira", "issue_tracker_pass")).toBe("p12-payments-jira.issue_tracker_pass");
  expect(credentialConfigKey("p1-a_7", "issue_tracker_pass")).not.toBe(credentialConfigKey("p1-a-7", "issue_tracker_pass"));
});

test("connections sort by project, then alias by code unit (not locale), then id", () => {
  const sorted = [
    { id: 3, project: 2, alias: "A" },
    { id: 2, project: 1, alias: "b" },
    { id: 5, project: 1, alias: "B" },
    { id: 1, project: 1, alias: "B" },
  ].sort(compareConnections);
  expect(sorted.map((c) => c.id)).toEqual([1, 5, 2, 3]);
});
