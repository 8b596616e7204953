import { spawn, type SpawnOptions } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

// The gRPC stubs are untyped JavaScript: they are used as `any`.
const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
export const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
export const structProto = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [resolve(require.resolve("@pulumi/pulumi/package.json"), "..")],
  }),
);
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

/** A policy pack's process serving @pulumi/policy's analyzer, and a gRPC client of it as the engine is. */
export interface RunningPack {
  call(method: string, request: unknown): Promise<any>;
  /** The pack's name and the names of the policies it serves (GetAnalyzerInfo). */
  info(): Promise<{ name: string; policies: string[] }>;
  stderr(): string;
  stop(): void;
}

/**
 * Starts a policy pack (`command args` in `options.cwd`) and connects to it once it serves: the analyzer
 * prints its port, alone on the first line of its output.
 */
export async function startPolicyPack(command: string, args: readonly string[], options: SpawnOptions): Promise<RunningPack> {
  const pack = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  pack.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<string>((done, fail) => {
    createInterface({ input: pack.stdout! }).once("line", done);
    pack.once("exit", (code) => fail(new Error(`the pack exited (${code}): ${stderr}`)));
  });
  const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port.trim()}`, grpc.credentials.createInsecure());
  const call = (method: string, request: unknown): Promise<any> =>
    new Promise((done, fail) => client[method](request, (err: Error | null, response: any) => (err ? fail(err) : done(response))));
  return {
    call,
    info: async () => {
      const info = await call("getAnalyzerInfo", new Empty());
      return { name: info.getName(), policies: info.getPoliciesList().map((p: any) => p.getName()) };
    },
    stderr: () => stderr,
    stop: () => {
      client.close();
      pack.kill();
    },
  };
}
