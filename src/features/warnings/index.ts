/**
 * Warnings with call-and-response (预警叫应), one folder: the 发布预警 dialog and
 * its fan-out (flows.ts), the commands 收到 / 预警 / 解除预警 / 升级预警
 * (commands.ts), the re-call and escalation cycle (jobs.ts), the 叫应 status
 * (status.ts), the pure rules (rules.ts) and the only queries (repo.ts). Its
 * sentences are in prompts/warnings.yaml.
 */
export { warningCommands } from "./commands.js";
export { issue, warningIssueFlow, warningMeasuresFlow, type WarningSettings } from "./flows.js";
export { warningJob } from "./jobs.js";
export { latestWarningStatus, warningStatus } from "./status.js";
