import { applicationSchema, type Application } from "../../schema/application";
import { idSchema } from "../../schema/ids";
import type { Transport } from "../transport";
import { checkedListFilter, nameFilterSchema } from "./list-filter";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";

/** The applications list's filters (applications page): exact name, business unit id. */
export interface ListApplicationsFilter {
  name?: string;
  /** The business unit's id. */
  businessUnit?: number;
}

const APPLICATION_FILTERS = {
  name: nameFilterSchema.optional(),
  businessUnit: idSchema("business unit").optional(),
};

/** `/api/v2/applications/`: read to find projects by their application's name, and to name it. */
export class ApplicationsApi {
  constructor(private readonly transport: Transport) {}

  /** Every application (all pages) matching the filters. */
  async list(filter: ListApplicationsFilter = {}): Promise<Application[]> {
    const valid = checkedListFilter(APPLICATION_FILTERS, filter, "an application list", '{ name: "Finance App" }');
    return readAllPages(this.transport, PATHS.applications, applicationSchema, {
      name: valid.name,
      business_unit: valid.businessUnit,
    });
  }
}
