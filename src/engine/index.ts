/** Running Pulumi programs offline, through Pulumi's own dynamic-provider host, without the CLI. */
import "../supported-node";
export {
  LocalEngine,
  DeploymentError,
  protectedDeleteMessage,
  protectedReplaceMessage,
  type EngineEvent,
  type LocalEngineOptions,
  type StateResource,
  type Step,
  type StepOp,
  type StepsResult,
  type UpOptions,
} from "./local-engine";
export { Limiter, parallelOf, type PaceOptions } from "./step-limits";
export { ProviderHost, HostError } from "./provider-host";
export { RecordingMonitor, type Registration } from "./recording-monitor";
export { isSecret, makeSecret, stripSecrets, plaintextOccurrences, annotateSecrets, SIG_KEY, SECRET_SIG } from "./secrets";
export type { Program } from "./program";
