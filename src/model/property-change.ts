/** One property that differs between the stored connection and the program. */
export interface PropertyChange {
  /** `alias`, `frequency`, `params.issue_tracker_project`... */
  property: string;
  kind: "add" | "update" | "delete";
  /** A credential: its values must never be shown, only that it changed. */
  secret: boolean;
  /** The new value is not known yet (preview). */
  unknown: boolean;
}
