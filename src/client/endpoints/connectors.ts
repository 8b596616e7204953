import { connectorSchema, type Connector } from "../../schema/connector";
import type { Transport } from "../transport";
import { checkedId } from "./id";
import { checkedListFilter, nameFilterSchema } from "./list-filter";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";
import { readOne } from "./read-one";

export interface ListConnectorsFilter {
  /** The system's id: `jira`, `github`, `rally`... */
  system?: string;
}

const CONNECTOR_FILTERS = { system: nameFilterSchema.optional() };

/** `/api/v2/connectors/issue-tracker/`: the organisation's tracker connectors, which connections use. */
export class ConnectorsApi {
  constructor(private readonly transport: Transport) {}

  /**
   * Every connector (all pages), optionally of one system (`?system=jira`, the filter the connectors page
   * documents). The API documents no name filter: `findConnector` matches names on this list.
   */
  async list(filter: ListConnectorsFilter = {}): Promise<Connector[]> {
    const valid = checkedListFilter(CONNECTOR_FILTERS, filter, "a connector list", '{ system: "jira" }');
    return readAllPages(this.transport, PATHS.connectors, connectorSchema, valid);
  }

  async get(id: number): Promise<Connector> {
    return await readOne(this.transport, PATHS.connector(checkedId(id, "connector")), connectorSchema);
  }
}
