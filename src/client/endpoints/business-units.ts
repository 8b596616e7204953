import { businessUnitSchema, type BusinessUnit } from "../../schema/business-unit";
import type { Transport } from "../transport";
import { checkedListFilter, nameFilterSchema } from "./list-filter";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";

/** The business units list's filter (business units page): exact name. */
export interface ListBusinessUnitsFilter {
  name?: string;
}

const BUSINESS_UNIT_FILTERS = { name: nameFilterSchema.optional() };

/** `/api/v2/business-units/`: read to find projects by their business unit's name, and to name it. */
export class BusinessUnitsApi {
  constructor(private readonly transport: Transport) {}

  /** Every business unit (all pages) matching the filter. */
  async list(filter: ListBusinessUnitsFilter = {}): Promise<BusinessUnit[]> {
    const valid = checkedListFilter(BUSINESS_UNIT_FILTERS, filter, "a business unit list", '{ name: "General" }');
    return readAllPages(this.transport, PATHS.businessUnits, businessUnitSchema, valid);
  }
}
