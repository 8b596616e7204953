import { SdeApiError } from "../../src/client";
import { failure, providerError } from "../../src/provider/errors";

// What the provider throws: a message with what was being done, no stack frames, and no credential the
// provider knows of, even one the failing request did not carry (a stored password echoed by the server).

test("a provider error carries its message and no stack frames", () => {
  const error = providerError("adopting connection 4: there is no connection 4");
  expect(error.stack).toBe(error.message);
});

test("a failure says what was being done and why", () => {
  const cause = new SdeApiError("not found", { kind: "http", status: 404, method: "GET", path: "/api/v2/connections/issue-tracker/4/" });
  expect(failure("reading connection 4", cause).message).toBe(
    "reading connection 4: GET /api/v2/connections/issue-tracker/4/ → 404: not found",
  );
});

test("credentials the provider knows are hidden from the message, whatever their source", () => {
  const cause = new Error('upstream said: password "Stored-Pa55word-91" is expired; token 12345678 revoked');
  const error = failure("reading connection 4", cause, ["Stored-Pa55word-91", "12345678"]);
  expect(error.message).toBe('reading connection 4: upstream said: password "[redacted]" is expired; token [redacted] revoked');
  expect(error.stack).toBe(error.message);
});
