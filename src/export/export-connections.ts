import type { SdeClient } from "../client/client";
import { planAdoption, type AdoptionPlan } from "./adoption-plan";
import { CATALOGUE_FILE, catalogueYaml } from "./catalogue-yaml";
import type { OutputFile } from "./output-files";
import { readServerConnections, type ProjectSelection } from "./read-connections";
import { PROGRAM_FILES, typescriptProgram } from "./typescript-program";

/** `ts`: a Pulumi TypeScript program; `yaml`: a catalogue for examples/at-scale. */
export const EXPORT_FORMATS = ["ts", "yaml"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The files an export of this format writes. */
export function exportFileNames(format: ExportFormat): readonly string[] {
  return format === "ts" ? PROGRAM_FILES : [CATALOGUE_FILE];
}

export interface ExportRequest {
  client: SdeClient;
  /** The server's URL, named in the files' comments (never a token). */
  server: string;
  selection: ProjectSelection;
  format: ExportFormat;
  /** The Pulumi project name of a `ts` program. */
  project: string;
  /** How a `ts` program's package.json depends on this package (an npm spec: `file:…`, a version, a tarball). */
  packageSpec: string;
  /** Progress lines (stderr in the CLI). */
  report?: (line: string) => void;
}

export interface ExportResult {
  plan: AdoptionPlan;
  /** What to write; no file holds a credential's value. */
  files: OutputFile[];
}

/**
 * Reads the selected connections and turns them into files that adopt every one of them unchanged. Writes
 * nothing itself: the caller decides where the files go.
 */
export async function exportConnections(request: ExportRequest): Promise<ExportResult> {
  const { connections, connectorParams } = await readServerConnections(request.client, request.selection, request.report);
  const plan = planAdoption(connections, connectorParams);
  const files =
    request.format === "ts"
      ? typescriptProgram(plan, request.project, request.server, request.packageSpec)
      : [{ name: CATALOGUE_FILE, text: catalogueYaml(plan, request.server) }];
  return { plan, files };
}
