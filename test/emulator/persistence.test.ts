import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { buildCli, spawnCli } from "./cli-process";
import { call, CONNECTIONS, fixture } from "./helpers";
import { record } from "../reliability/metrics";

let dir: string;
let file: string;
const running: Emulator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sde-emulator-"));
  file = join(dir, "state.json");
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(dataFile = file): Promise<Emulator> {
  const emulator = await startEmulator({ dataFile });
  running.push(emulator);
  return emulator;
}

describe("the data file", () => {
  test("is created from the seed at start, and holds every change for the next emulator", async () => {
    const first = await start();
    const seeded = JSON.parse(readFileSync(file, "utf8"));
    expect(seeded.connections).toHaveLength(1);

    const created = await call(first, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(created.status).toBe(201);
    // Acknowledged means saved: the file has it before the client hears back.
    expect(JSON.parse(readFileSync(file, "utf8")).connections.map((c: { id: number }) => c.id)).toEqual([1, 5]);
    await call(first, "PATCH", `${CONNECTIONS}5/`, { json: { alias: "Renamed", params: { issue_tracker_parent_issue: null } } });
    await call(first, "DELETE", `${CONNECTIONS}1/`);
    first.recordSyncJob(5, { succeeded: true });
    const before = first.connections();
    await first.stop();

    const second = await start();
    expect(second.connections()).toEqual(before);
    expect(second.connections()[0]).toMatchObject({ id: 5, alias: "Renamed" });
    expect(second.connections()[0]?.params).not.toHaveProperty("issue_tracker_parent_issue");
    // Ids are never reused, even after a delete and a restart.
    const next = await call(second, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(next.body.id).toBe(6);
  });

  test("is held by one emulator at a time: a second is refused while the first runs, and takes it once it stopped", async () => {
    const first = await start();
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(
      new RegExp(`is in use by another emulator \\(pid ${process.pid}\\): stop it, or give this one another --data file`),
    );
    await first.stop();
    const second = await start();
    expect(second.connections()).toHaveLength(1);
  });

  test("a lock left by a process that is gone (kill -9) is taken over", async () => {
    // A pid that cannot be running: above the kernel's maximum.
    writeFileSync(`${file}.lock`, "2147483646");
    const emulator = await start();
    expect(emulator.connections()).toHaveLength(1);
    expect(readFileSync(`${file}.lock`, "utf8")).toBe(String(process.pid));
  });

  test("a lock naming this very pid but not held here is stale (a restarted container's pid 1) and taken over", async () => {
    writeFileSync(`${file}.lock`, String(process.pid));
    const emulator = await start();
    expect(emulator.connections()).toHaveLength(1);
  });

  test("an emulator that fails to start gives the data file up", async () => {
    await expect(startEmulator({ dataFile: file, seed: { connections: "not a list" } as never })).rejects.toThrow();
    const emulator = await start();
    expect(emulator.connections()).toHaveLength(1);
  });

  test("a file planted at a temporary file's place is never written through", async () => {
    const emulator = await start();
    // Whatever name an attacker guesses (pid and counter were the old names), the write creates its own.
    for (let n = 1; n <= 5; n++) symlinkSync(join(dir, "victim"), join(dir, `.state.json.${process.pid}.${n}.tmp`));
    writeFileSync(join(dir, "victim"), "untouched");
    expect((await call(emulator, "POST", CONNECTIONS, { json: fixture("create.request") })).status).toBe(201);
    expect(readFileSync(join(dir, "victim"), "utf8")).toBe("untouched");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("writes leave no temporary files behind, and concurrent changes are all saved", async () => {
    const emulator = await start();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(emulator, "POST", CONNECTIONS, { json: { ...fixture("create.request"), alias: `C${i}` } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    await emulator.stop();
    expect(readdirSync(dir)).toEqual(["state.json"]);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved.connections).toHaveLength(21);
  });

  test("a corrupt file is refused with a message naming it, and left as it is", async () => {
    writeFileSync(file, '{"connections": [');
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(
      new RegExp(`Data file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is corrupt`),
    );
    expect(readFileSync(file, "utf8")).toBe('{"connections": [');
  });

  test("a file that is JSON but not a valid state is refused naming the bad field", async () => {
    writeFileSync(file, JSON.stringify({ connections: [{ id: 1, alias: "x", connector: 77, project: 1 }] }));
    await expect(startEmulator({ dataFile: file })).rejects.toThrow(/connections\.0\.connector/);
  });

  test("temporary files a killed emulator left behind are removed at start; other files are not", async () => {
    const first = await start();
    await first.stop();
    writeFileSync(join(dir, ".state.json.12345.7.tmp"), "{half");
    writeFileSync(join(dir, ".state.json.12345.8.0123456789abcdef.tmp"), "{half");
    writeFileSync(join(dir, "notes.txt"), "keep me");
    await start();
    // The lock file is the running emulator's own.
    expect(readdirSync(dir).sort()).toEqual(["notes.txt", "state.json", "state.json.lock"]);
  });
});

describe("kill -9 at random moments", () => {
  const ITERATIONS = 15;
  /** Each kill comes right after the Nth acknowledged write of its round, N drawn from 1 to this. */
  const MOST_WRITES_BEFORE_KILL = 20;
  let built: ReturnType<typeof buildCli>;
  beforeAll(() => {
    built = buildCli();
  });
  afterAll(() => built.cleanup());

  test(`${ITERATIONS} kills of a CLI emulator in the middle of writes leave a consistent file every time`, async () => {
    const acknowledged = new Set<number>();
    let lostWrites = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const cli = spawnCli(built.script, ["--data", file, "--port", "0"]);
      const url = await cli.ready;
      // Writes keep coming (two at a time) until the process dies; the kill comes as the Nth of this
      // round is acknowledged, the other writer's request (or its save) under way.
      const killAfter = 1 + Math.floor(Math.random() * MOST_WRITES_BEFORE_KILL);
      let acknowledgedHere = 0;
      let reachedKillPoint!: () => void;
      const killPoint = new Promise<void>((resolve) => (reachedKillPoint = resolve));
      let alive = true;
      const writer = async () => {
        for (let n = 0; alive && n < 10_000; n++) {
          try {
            const res = await fetch(`${url}${CONNECTIONS}`, {
              method: "POST",
              headers: { authorization: `Token ${DEFAULT_TOKEN}`, "content-type": "application/json" },
              body: JSON.stringify({ ...fixture("create.request"), alias: `kill ${i}.${n}` }),
            });
            if (res.status === 201) {
              acknowledged.add(((await res.json()) as { id: number }).id);
              if (++acknowledgedHere === killAfter) reachedKillPoint();
            }
          } catch {
            return; // the emulator is gone
          }
        }
      };
      const writers = Promise.all([writer(), writer()]);
      // Bounded: should the writers stop without reaching it (no write acknowledged), the round fails below.
      await Promise.race([killPoint, writers]);
      cli.child.kill("SIGKILL");
      const exit = await cli.exited;
      alive = false;
      await writers;
      expect(exit.signal).toBe("SIGKILL");
      expect([i, acknowledgedHere >= killAfter]).toEqual([i, true]);

      // The file loads (a torn file would be refused) and holds every write that was acknowledged.
      const reloaded = await startEmulator({ dataFile: file });
      const ids = new Set(reloaded.connections().map((c) => c.id));
      await reloaded.stop();
      const lost = [...acknowledged].filter((id) => !ids.has(id));
      lostWrites += lost.length;
      expect([i, lost]).toEqual([i, []]);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    record("emulator", { "kill -9 restarts": ITERATIONS, "acknowledged writes": acknowledged.size, "writes lost": lostWrites });
  }, 60_000);
});
