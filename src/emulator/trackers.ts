import type { Params, ParamValue } from "./rules/params";
import type { TrackerRecord } from "./seed-schema";

/**
 * Fake remote issue trackers for the test-connection endpoint: the emulator never connects out (the real
 * server refuses localhost targets anyway), it looks the settings up in the seed's `trackers` instead.
 * Messages name the params to check and never their values: a test that fails on a password must not
 * send the password back.
 */

export type TrackerCheck = { ok: true } | { ok: false; detail: string };

const str = (v: ParamValue | undefined): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

export function checkAgainstTrackers(trackers: readonly TrackerRecord[], systemId: string, params: Readonly<Params>): TrackerCheck {
  const server = str(params.issue_tracker_server).trim();
  const method = str(params.issue_tracker_method) || "https";
  const tracker = trackers.find((t) => t.system === systemId && t.server.toLowerCase() === server.toLowerCase() && t.method === method);
  if (!tracker) {
    return {
      ok: false,
      detail: `Could not connect to ${server}: the server is unknown or unreachable. Check issue_tracker_server and issue_tracker_method.`,
    };
  }

  if (str(params.issue_tracker_auth_mode) === "api_token") {
    if (!tracker.apiTokens.includes(str(params.issue_tracker_api_token))) {
      return { ok: false, detail: `Authentication to ${server} failed: check issue_tracker_api_token` };
    }
  } else {
    const user = str(params.issue_tracker_user);
    const pass = str(params.issue_tracker_pass);
    if (!tracker.users.some((u) => u.user === user && u.pass === pass)) {
      return { ok: false, detail: `Authentication to ${server} failed: check issue_tracker_user and issue_tracker_pass` };
    }
  }

  const project = str(params.issue_tracker_project);
  if (!tracker.projects.includes(project)) {
    return {
      ok: false,
      detail: `Project ${JSON.stringify(project)} was not found on ${server}: check issue_tracker_project`,
    };
  }
  return { ok: true };
}
