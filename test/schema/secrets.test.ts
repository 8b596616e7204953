// Credential params: isSecretParamKey, secretParamValues, redact (short secrets as whole words, longest first) and redactDeep.
import { isSecretParamKey, redact, redactDeep, REDACTED, secretForms, secretParamValues } from "../../src/schema/secrets";

describe("isSecretParamKey", () => {
  test.each([
    "issue_tracker_pass",
    "issue_tracker_api_token",
    "password",
    "db_passwd",
    "ssh_passphrase",
    "client_secret",
    "service_credentials",
    "vendor_api_key",
    "private_key",
    "aws_access_key_id",
    "Issue_Tracker_PASS",
    "oauth-token",
    "apikey",
    // camelCase and words run together
    "issue_tracker_accessToken",
    "jiraPassword",
    "issue_tracker_apitoken",
    "clientsecret",
    "personalaccesstoken",
    "issue_tracker_privatekey",
    "issue_tracker_accesskey",
    "secretkey",
    "PRIVATEKEY",
  ])("%s is a credential", (key) => {
    expect(isSecretParamKey(key)).toBe(true);
  });

  test.each([
    "bypass_cert_validation",
    "issue_tracker_user",
    "issue_tracker_project",
    "passive_mode",
    "tokens_used",
    "key",
    "api",
    "key_api",
    "sde_min_priority",
    "issueTrackerUser",
    "tokenizer_mode",
    "",
  ])("%j is not a credential", (key) => {
    expect(isSecretParamKey(key)).toBe(false);
  });
});

describe("secretParamValues", () => {
  test("lists the non-empty values of credential keys only, numbers as text", () => {
    expect(
      secretParamValues({
        issue_tracker_pass: "pw-1",
        issue_tracker_api_token: "",
        vendor_api_key: 42,
        client_secret: null,
        issue_tracker_user: "sindy",
      }),
    ).toEqual(["pw-1", "42"]);
  });

  test.each([[null], ["issue_tracker_pass"], [["issue_tracker_pass"]], [undefined]])("finds none in %j", (params) => {
    expect(secretParamValues(params)).toEqual([]);
  });
});

describe("redact", () => {
  test("replaces every occurrence of a long secret, inside words too", () => {
    expect(redact("token=abcdef123 again:abcdef123xyz", ["abcdef123"])).toBe(`token=${REDACTED} again:${REDACTED}xyz`);
  });

  test("replaces a short secret only where it stands alone", () => {
    expect(redact('Invalid password "id" for id; ids and idle stay', ["id"])).toBe(
      `Invalid password "${REDACTED}" for ${REDACTED}; ids and idle stay`,
    );
  });

  test("a short secret inside an identifier (letters, digits, _) is left alone", () => {
    expect(redact("title format must contain $task_id; id is wrong", ["id"])).toBe(
      `title format must contain $task_id; ${REDACTED} is wrong`,
    );
  });

  test("escapes regular-expression characters in short secrets", () => {
    expect(redact("pw: a.b+ and axb+", ["a.b+"])).toBe(`pw: ${REDACTED} and axb+`);
  });

  test("hides the longest secret whole before a shorter one inside it", () => {
    expect(redact("secret: hunter2hunter2", ["hunter2", "hunter2hunter2"])).toBe(`secret: ${REDACTED}`);
  });

  test("ignores empty and repeated secrets", () => {
    expect(redact("nothing here", ["", ""])).toBe("nothing here");
    expect(redact("pw abcdefgh", ["abcdefgh", "abcdefgh"])).toBe(`pw ${REDACTED}`);
  });
});

describe("every form a credential comes back in", () => {
  // Spaces around it (DRF trims), a quote and a backslash (escaped in JSON text), characters a URL or a
  // form encodes, an accented letter (\u-escaped by Python's default JSON encoder).
  const password = ' pa"ss\\w&rd/é ';
  test.each([
    ["as sent", password],
    ["trimmed", password.trim()],
    ["JSON-escaped", JSON.stringify(password).slice(1, -1)],
    ["JSON-escaped and trimmed", JSON.stringify(password.trim()).slice(1, -1)],
    ["JSON-escaped with \\u escapes", ' pa\\"ss\\\\w&rd/\\u00e9 '],
    ["URL-encoded", encodeURIComponent(password)],
    ["URL-encoded in lower case", encodeURIComponent(password).toLowerCase()],
    ["form-encoded", new URLSearchParams({ p: password }).toString().slice(2)],
    ["HTML-escaped", " pa&quot;ss\\w&amp;rd/é "],
  ])("%s", (_form, echoed) => {
    expect(redact(`the server said: <${echoed}>`, [password])).toBe(`the server said: <${REDACTED}>`);
  });

  test("a token pasted into a URL path, as the URL parser escapes it", () => {
    const token = "tok{en}`x";
    const path = new URL(`http://sde.example.com/${token}/api/v2/`).pathname;
    expect(path).not.toContain(token);
    expect(redact(`GET ${path}`, [token])).toBe(`GET /${REDACTED}/api/v2/`);
  });

  test("a value that needs no escaping has one form", () => {
    expect(secretForms("plain-Value_1")).toEqual(["plain-Value_1"]);
  });
});

describe("redactDeep", () => {
  test("redacts keys too: a server may use a refused value as the key of its field error", () => {
    expect(redactDeep({ params: { hunter22: ["Unknown value."] } }, [" hunter22 "])).toEqual({
      params: { [REDACTED]: ["Unknown value."] },
    });
  });

  test("redacts every string in nested objects and arrays, leaving other values and the input alone", () => {
    const input = {
      message: "bad password hunter22",
      details: [{ field: "pass", value: "hunter22" }, 3, null, true],
      nested: { list: ["id"] },
    };
    expect(redactDeep(input, ["hunter22", "id"])).toEqual({
      message: `bad password ${REDACTED}`,
      details: [{ field: "pass", value: REDACTED }, 3, null, true],
      nested: { list: [REDACTED] },
    });
    expect(input.message).toBe("bad password hunter22");
  });

  test("redacts a bare string", () => {
    expect(redactDeep("x hunter22 y", ["hunter22"])).toBe(`x ${REDACTED} y`);
  });
});
