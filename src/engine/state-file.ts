import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { mapSecrets, SIG_KEY, SECRET_SIG } from "./secrets";

/**
 * A local engine's stack on disk, as `pulumi login file://DIR` keeps one: `state.json` holds every resource
 * of the stack with its inputs and outputs, secrets encrypted (`{"4dabf…": "1b47…", "ciphertext": "v1:…"}`,
 * the form of the CLI's passphrase secrets provider), with the key in `secrets.key` beside it (mode 0600).
 * The file is rewritten whole and atomically after every operation, so a run that is killed leaves the
 * previous state or the new one.
 */

type Bag = Record<string, unknown>;

const STATE = "state.json";
const KEY = "secrets.key";

interface StateDocument {
  version: 1;
  project: string;
  stack: string;
  resources: Bag[];
}

export class StateFile {
  readonly dir: string;
  private key: Buffer | undefined;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get path(): string {
    return join(this.dir, STATE);
  }

  /** The resources saved for this project and stack; none when the directory holds no state yet. */
  load<T>(project: string, stack: string): T[] {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new Error(`cannot read the stack's state ${this.path}: ${(error as Error).message}`);
    }
    let document: StateDocument;
    try {
      document = JSON.parse(text) as StateDocument;
    } catch (error) {
      throw new Error(
        `the stack's state ${this.path} is not valid JSON (${(error as Error).message}): move it away to start an empty stack`,
      );
    }
    if (document?.version !== 1 || !Array.isArray(document.resources)) {
      throw new Error(`${this.path} is not a local engine's stack state: give another directory`);
    }
    if (document.project !== project || document.stack !== stack) {
      throw new Error(
        `${this.dir} holds the stack ${document.project}/${document.stack}, not ${project}/${stack}: give each program and stack its own directory (its resources would be deleted otherwise)`,
      );
    }
    return this.decrypt(document.resources) as T[];
  }

  save(project: string, stack: string, resources: readonly object[]): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const document: StateDocument = { version: 1, project, stack, resources: this.encrypt(resources) as Bag[] };
    // A temporary name nobody can guess, created exclusively (nothing planted there is written through).
    const temp = join(this.dir, `.${STATE}.${randomBytes(8).toString("hex")}.tmp`);
    try {
      writeFileSync(temp, JSON.stringify(document, null, 2) + "\n", { mode: 0o600, flag: "wx" });
      renameSync(temp, this.path);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never created
      }
      throw new Error(`cannot write the stack's state ${this.path}: ${(error as Error).message}`);
    }
  }

  /** The stack's key: made (32 random bytes, mode 0600) the first time a secret is saved. */
  private secretsKey(create: boolean): Buffer {
    if (this.key) return this.key;
    const file = join(this.dir, KEY);
    try {
      this.key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !create) {
        throw new Error(
          `cannot read the stack's secrets key ${file}: ${(error as Error).message} (without it the state's secrets cannot be read)`,
        );
      }
      const key = randomBytes(32);
      writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
      this.key = key;
    }
    if (this.key.length !== 32) throw new Error(`the stack's secrets key ${file} is not 32 bytes of hex`);
    return this.key;
  }

  private encrypt(value: unknown): unknown {
    return mapSecrets(value, (envelope) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", this.secretsKey(true), iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(envelope.value), "utf8"), cipher.final(), cipher.getAuthTag()]);
      return { [SIG_KEY]: SECRET_SIG, ciphertext: `v1:${iv.toString("base64")}:${body.toString("base64")}` };
    });
  }

  private decrypt(value: unknown): unknown {
    return mapSecrets(value, (envelope) => {
      const [version, iv, body] = typeof envelope.ciphertext === "string" ? envelope.ciphertext.split(":") : [];
      if (version !== "v1" || !iv || !body) throw new Error(`${this.path} holds a secret in a form this engine cannot read`);
      const bytes = Buffer.from(body, "base64");
      const decipher = createDecipheriv("aes-256-gcm", this.secretsKey(false), Buffer.from(iv, "base64"));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      let text: string;
      try {
        text = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(`the secrets in ${this.path} do not open with ${join(this.dir, KEY)}: the key belongs to another stack`);
      }
      return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(text) as unknown };
    });
  }
}
