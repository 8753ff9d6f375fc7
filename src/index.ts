export * as inference from './inference/index.js';
export { Gateway, getGateway, setGateway, type GatewayOptions, type GuardrailSetup } from './gateway.js';
export {
  VoiceGatewayError,
  ConfigError,
  ModelResolutionError,
  BudgetExceededError,
  BudgetThrottleSignal,
  GuardrailBlockedError,
  FallbackExhaustedError,
} from './errors.js';
export { BudgetEnforcer, type BudgetStatus, type Admission } from './budget/enforcer.js';
export { EnergyVAD } from './providers/energy-vad.js';
export { loadConfig, configSearchPath } from './config/load.js';
export type { GatewayConfig, ProjectConfig } from './config/schema.js';
export type { Project } from './projects.js';
export type { CostsResult, LogEntry, SessionCost } from './reports.js';
export type { RequestRecord, Ledger } from './ledger/types.js';
export { setLogSink } from './log.js';
