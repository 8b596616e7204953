import type { SdeClient } from "../client/client";
import type { Project } from "../schema/project";
import type { ProjectLookup } from "./arguments";
import { candidateNames, describedList, quotedList } from "./candidates";
import { SdeLookupError } from "./errors";

/** The project a lookup found, with the names of its application and business unit. */
export interface ProjectMatch {
  id: number;
  name: string;
  application?: { id: number; name: string } | undefined;
  businessUnit?: { id: number; name: string } | undefined;
  archived?: boolean | undefined;
}

/**
 * The one project with this name (in this application and business unit, when given). The projects list
 * filters by exact name; applications and business units are read to match and name them. When only the
 * id is wanted (`idOnly`) and the name alone settles it, they are not read: one request per lookup.
 */
export async function findProject(client: SdeClient, lookup: ProjectLookup, options: { idOnly?: boolean } = {}): Promise<ProjectMatch> {
  return new ProjectDirectory(client, "by-name").find(lookup, options);
}

/**
 * Finds projects for one client, reading each list at most once. `by-name` asks the API for each name
 * (one request a lookup: right for a few); `listing` reads the whole projects list once and matches
 * names here (right for a catalogue naming hundreds: one request, not hundreds). Names match exactly, as
 * the API's filter does.
 */
export class ProjectDirectory {
  private everyProject?: Promise<Project[]>;
  /** The listing by exact name: a catalogue of thousands of names must not scan every project for each. */
  private byName?: Promise<ReadonlyMap<string, Project[]>>;
  private hierarchy?: Promise<Hierarchy>;

  constructor(
    private readonly client: SdeClient,
    private readonly how: "by-name" | "listing",
  ) {}

  async find(lookup: ProjectLookup, options: { idOnly?: boolean } = {}): Promise<ProjectMatch> {
    const named =
      this.how === "by-name" ? await this.client.projects.list({ name: lookup.name }) : ((await this.named()).get(lookup.name) ?? []);
    const scoped = lookup.application !== undefined || lookup.businessUnit !== undefined;
    if (options.idOnly && named.length === 1 && !scoped) return { id: named[0]!.id, name: named[0]!.name, archived: named[0]!.archived };

    const hierarchy = await (this.hierarchy ??= readHierarchy(this.client));
    const inScope = (p: Project) => {
      const m = hierarchy.describe(p);
      return (
        (lookup.application === undefined || m.application?.name === lookup.application) &&
        (lookup.businessUnit === undefined || m.businessUnit?.name === lookup.businessUnit)
      );
    };
    const matches = named.filter(inScope).map(hierarchy.describe);
    if (matches.length === 1) return matches[0]!;

    const where = scopeWords(lookup);
    if (matches.length > 1) {
      const chooser = disambiguator(matches, lookup);
      throw new SdeLookupError(
        `${matches.length} projects are named ${JSON.stringify(lookup.name)}${where}: ${describedList(matches.map(describe))}. ${chooser}`,
        "ambiguous",
        matches.map((m) => m.name),
      );
    }
    // The name exists, outside the scope given: say where it is.
    if (named.length > 0) {
      const elsewhere = named.map(hierarchy.describe);
      throw new SdeLookupError(
        `no project named ${JSON.stringify(lookup.name)}${where}; projects of that name: ${describedList(elsewhere.map(describe))}. Fix application or businessUnit (or leave them out).`,
        "not_found",
        elsewhere.map((m) => m.name),
      );
    }
    const unknownScope = hierarchy.unknownScope(lookup);
    if (unknownScope) throw unknownScope;
    const names = candidateNames(
      (await this.all()).filter(inScope).map((p) => p.name),
      lookup.name,
    );
    throw new SdeLookupError(
      `no project named ${JSON.stringify(lookup.name)}${where} (names match exactly, case included); projects${where}: ${quotedList(names)}`,
      "not_found",
      names,
    );
  }

  private all(): Promise<Project[]> {
    return (this.everyProject ??= this.client.projects.list());
  }

  private named(): Promise<ReadonlyMap<string, Project[]>> {
    return (this.byName ??= this.all().then((projects) => {
      const byName = new Map<string, Project[]>();
      for (const p of projects) {
        const same = byName.get(p.name);
        if (same) same.push(p);
        else byName.set(p.name, [p]);
      }
      return byName;
    }));
  }
}

type Hierarchy = Awaited<ReturnType<typeof readHierarchy>>;

/** Applications and business units by id, to match and name a project's. */
async function readHierarchy(client: SdeClient) {
  const [applications, businessUnits] = await Promise.all([client.applications.list(), client.businessUnits.list()]);
  const appById = new Map(applications.map((a) => [a.id, a]));
  const buById = new Map(businessUnits.map((b) => [b.id, b]));
  return {
    describe: (p: Project): ProjectMatch => {
      const app = p.application == null ? undefined : appById.get(p.application);
      const bu = app?.business_unit == null ? undefined : buById.get(app.business_unit);
      return {
        id: p.id,
        name: p.name,
        application: app && { id: app.id, name: app.name },
        businessUnit: bu && { id: bu.id, name: bu.name },
        archived: p.archived,
      };
    },
    /** The error for an application or business unit name that does not exist at all, if one does not. */
    unknownScope: (lookup: ProjectLookup): SdeLookupError | undefined => {
      if (lookup.businessUnit !== undefined && !businessUnits.some((b) => b.name === lookup.businessUnit)) {
        const names = candidateNames(
          businessUnits.map((b) => b.name),
          lookup.businessUnit,
        );
        return new SdeLookupError(
          `no business unit named ${JSON.stringify(lookup.businessUnit)}; business units: ${quotedList(names)}`,
          "not_found",
          names,
        );
      }
      const apps = applications.filter(
        (a) => lookup.businessUnit === undefined || (a.business_unit != null && buById.get(a.business_unit)?.name === lookup.businessUnit),
      );
      if (lookup.application !== undefined && !apps.some((a) => a.name === lookup.application)) {
        const where = lookup.businessUnit === undefined ? "" : ` in business unit ${JSON.stringify(lookup.businessUnit)}`;
        const names = candidateNames(
          apps.map((a) => a.name),
          lookup.application,
        );
        return new SdeLookupError(
          `no application named ${JSON.stringify(lookup.application)}${where}; applications${where}: ${quotedList(names)}`,
          "not_found",
          names,
        );
      }
      return undefined;
    },
  };
}

function scopeWords(lookup: ProjectLookup): string {
  const parts = [
    lookup.application === undefined ? undefined : `application ${JSON.stringify(lookup.application)}`,
    lookup.businessUnit === undefined ? undefined : `business unit ${JSON.stringify(lookup.businessUnit)}`,
  ].filter(Boolean);
  return parts.length ? ` in ${parts.join(" of ")}` : "";
}

function describe(m: ProjectMatch): string {
  const app = m.application ? `application ${JSON.stringify(m.application.name)}` : "no application";
  const bu = m.businessUnit ? `business unit ${JSON.stringify(m.businessUnit.name)}` : "no business unit";
  return `id ${m.id} in ${app} of ${bu}${m.archived ? " (archived)" : ""}`;
}

/** Which argument tells the matches apart: the first whose values differ among them. */
function disambiguator(matches: readonly ProjectMatch[], lookup: ProjectLookup): string {
  const differ = (value: (m: ProjectMatch) => string | undefined) => new Set(matches.map(value)).size > 1;
  if (lookup.application === undefined && differ((m) => m.application?.name)) return "Pass application (its name) to choose one.";
  if (lookup.businessUnit === undefined && differ((m) => m.businessUnit?.name)) return "Pass businessUnit (its name) to choose one.";
  return "They cannot be told apart by name: give the project's id instead.";
}
