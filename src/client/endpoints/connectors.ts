import { connectorSchema, type Connector } from "../../schema/connector";
import type { Transport } from "../transport";
import { checkedId } from "./id";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";

/** `/api/v2/connectors/issue-tracker/`: the organisation's tracker connectors, which connections use. */
export class ConnectorsApi {
  constructor(private readonly transport: Transport) {}

  async list(): Promise<Connector[]> {
    return readAllPages(this.transport, PATHS.connectors, connectorSchema, {});
  }

  async get(id: number): Promise<Connector> {
    const response = await this.transport.send({
      method: "GET",
      path: PATHS.connector(checkedId(id, "connector")),
      schema: connectorSchema,
      retry: "idempotent",
    });
    return response.data;
  }
}
