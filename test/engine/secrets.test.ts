// The local engine's secret envelopes: annotateSecrets, markSecretOutputs, stripSecrets and plaintextOccurrences.
import {
  annotateSecrets,
  isSecret,
  makeSecret,
  markSecretOutputs,
  plaintextOccurrences,
  SECRET_SIG,
  SIG_KEY,
  stripSecrets,
} from "../../src/engine/secrets";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

describe("envelopes", () => {
  test("makeSecret wraps once in the engine's wire form", () => {
    expect(makeSecret("pw")).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "pw" });
    expect(makeSecret(makeSecret("pw"))).toEqual(secret("pw"));
  });

  test.each([
    [secret("x"), true],
    [{ [SIG_KEY]: "other", value: "x" }, false],
    [{ value: "x" }, false],
    [null, false],
    ["x", false],
  ])("isSecret(%j) is %s", (value, expected) => {
    expect(isSecret(value)).toBe(expected);
  });
});

describe("annotateSecrets", () => {
  test("an output whose input of the same key was secret becomes secret; others stay plain", () => {
    const outs = annotateSecrets({ password: "pw", user: "sindy", id: 5 }, { password: secret("pw"), user: "sindy" });
    expect(outs).toEqual({ password: secret("pw"), user: "sindy", id: 5 });
  });

  test("the secret follows the key, whatever value the output has", () => {
    expect(annotateSecrets({ password: { hashed: true } }, { password: secret("pw") })).toEqual({ password: secret({ hashed: true }) });
  });

  test("recurses into objects on both sides", () => {
    const outs = annotateSecrets(
      { params: { issue_tracker_pass: "pw", issue_tracker_user: "sindy", nested: { token: "t", plain: 1 } } },
      { params: { issue_tracker_pass: secret("pw"), issue_tracker_user: "sindy", nested: { token: secret("t") } } },
    );
    expect(outs).toEqual({
      params: { issue_tracker_pass: secret("pw"), issue_tracker_user: "sindy", nested: { token: secret("t"), plain: 1 } },
    });
  });

  test("an array with any secret input becomes secret whole; one without stays plain", () => {
    const outs = annotateSecrets({ keys: ["a", "b"], tags: ["x"] }, { keys: ["a", secret("b")], tags: ["x"] });
    expect(outs).toEqual({ keys: secret(["a", "b"]), tags: ["x"] });
  });

  test("an input object holding a secret makes a non-object output of the same key secret whole (the Go rule)", () => {
    expect(annotateSecrets({ params: "serialized" }, { params: { issue_tracker_pass: secret("pw") } })).toEqual({
      params: secret("serialized"),
    });
    expect(annotateSecrets({ params: ["a"] }, { params: { p: secret("pw") } })).toEqual({ params: secret(["a"]) });
  });

  test("ignores input keys the outputs do not have", () => {
    const outs = annotateSecrets({ user: "sindy" }, { password: secret("pw"), params: { token: secret("t") } });
    expect(outs).toEqual({ user: "sindy" });
    expect(outs).not.toHaveProperty("password");
  });

  test("does not wrap an already-secret output twice", () => {
    const outs = annotateSecrets(
      { password: secret("pw"), params: secret({ token: "t" }) },
      { password: secret("pw"), params: { token: secret("t") } },
    );
    expect(outs).toEqual({ password: secret("pw"), params: secret({ token: "t" }) });
  });

  test("without inputs, returns the outputs as they are; never modifies them", () => {
    const outs = { password: "pw" };
    expect(annotateSecrets(outs, undefined)).toBe(outs);
    annotateSecrets(outs, { password: secret("pw") });
    expect(outs).toEqual({ password: "pw" });
  });
});

describe("markSecretOutputs", () => {
  test("wraps the named top-level outputs, once, and ignores names that are absent", () => {
    const outs = { credentials: { issue_tracker_pass: "pw" }, token: secret("t"), alias: "a" };
    expect(markSecretOutputs(outs, ["credentials", "token", "missing"])).toEqual({
      credentials: secret({ issue_tracker_pass: "pw" }),
      token: secret("t"),
      alias: "a",
    });
    expect(outs.credentials).toEqual({ issue_tracker_pass: "pw" });
  });
});

describe("stripSecrets", () => {
  test("unwraps envelopes at every depth, nested envelopes included", () => {
    const wrapped = {
      a: secret("pw"),
      b: [1, secret({ c: secret("deep") })],
      d: { e: secret(null), f: "plain" },
      g: secret(secret(["x"])),
    };
    expect(stripSecrets(wrapped)).toEqual({ a: "pw", b: [1, { c: "deep" }], d: { e: null, f: "plain" }, g: ["x"] });
  });

  test.each([["s"], [3], [null], [undefined], [true]])("leaves the scalar %j as it is", (value) => {
    expect(stripSecrets(value)).toBe(value);
  });
});

describe("plaintextOccurrences", () => {
  const NEEDLES = ["hunter2", "tok-XYZ"];

  test("reports the paths of plain values and keys holding a needle", () => {
    const view = {
      outputs: {
        params: { issue_tracker_pass: "hunter2", note: "the password is hunter2!" },
        list: ["ok", "tok-XYZ"],
        "tok-XYZ": 1,
      },
    };
    expect(plaintextOccurrences(view, NEEDLES)).toEqual([
      "$.outputs.params.issue_tracker_pass",
      "$.outputs.params.note",
      "$.outputs.list[1]",
      "$.outputs.tok-XYZ (key)",
    ]);
  });

  test("ignores anything inside a secret envelope, however deep", () => {
    const view = { credentials: secret({ issue_tracker_pass: "hunter2", "tok-XYZ": ["tok-XYZ"] }), list: [secret("hunter2")] };
    expect(plaintextOccurrences(view, NEEDLES)).toEqual([]);
  });

  test("finds nothing where no needle appears, and ignores empty needles", () => {
    expect(plaintextOccurrences({ a: "x", b: [1, true, null] }, NEEDLES)).toEqual([]);
    expect(plaintextOccurrences({ a: "x" }, [""])).toEqual([]);
  });

  test("a bare string is reported at $ or at the given path", () => {
    expect(plaintextOccurrences("hunter2", NEEDLES)).toEqual(["$"]);
    expect(plaintextOccurrences("hunter2", NEEDLES, "$.state")).toEqual(["$.state"]);
  });
});
