// What decides whether the connection test runs again: sameTestedSettings, testedSettingsText.
import { sameTestedSettings, testedSettingsText } from "../../src/provider/tested-settings";

describe("the settings the connection test depends on", () => {
  const settings = { connector: 1, project: 2, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot", sde_min_priority: 7 } };
  const reordered = { project: 2, connector: 1, params: { sde_min_priority: 7, issue_tracker_user: "bot", issue_tracker_project: "PAY" } };

  test("the same settings in another key order are the same, with the same text", () => {
    expect(sameTestedSettings(settings, reordered)).toBe(true);
    expect(testedSettingsText(reordered)).toBe(testedSettingsText(settings));
  });

  test("another SD Elements project is another connection to test, but the same tracker settings: one test's text", () => {
    const other = { ...settings, project: 1 };
    expect(sameTestedSettings(settings, other)).toBe(false);
    expect(testedSettingsText(other)).toBe(testedSettingsText(settings));
  });

  test("fields outside connector, project, params and adoptId do not count", () => {
    expect(sameTestedSettings({ ...settings, alias: "a", frequency: "daily" } as never, { ...settings, alias: "b" } as never)).toBe(true);
  });

  test.each([
    ["another connector", { ...settings, connector: 3 }],
    ["a changed param", { ...settings, params: { ...settings.params, issue_tracker_user: "other" } }],
    ["a param of another type", { ...settings, params: { ...settings.params, sde_min_priority: "7" } }],
    ["an added param", { ...settings, params: { ...settings.params, issue_tracker_parent_issue: "PAY-1" } }],
    ["a removed param", { ...settings, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot" } }],
    ["a removed param replaced by another", { ...settings, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot", other: 7 } }],
    ["no params", { connector: 1, project: 2 }],
    ["an adopted connection (its own params are the test's base)", { ...settings, adoptId: 7 }],
  ])("%s differs, in the comparison and in the text", (_what, other) => {
    expect(sameTestedSettings(settings, other)).toBe(false);
    expect(sameTestedSettings(other, settings)).toBe(false);
    expect(testedSettingsText(other)).not.toBe(testedSettingsText(settings));
  });
});
