/** A second flow for tests: exercises every input kind and the optional step. */
import type { CommandDef } from "../../src/core/commands.js";
import { choice, confirm, date, dateExamples, location, number, photos, text } from "../../src/features/inputs.js";
import type { FlowDef } from "../../src/core/flow-types.js";
import type { Tx } from "../../src/store/db.js";

// Reuses catalog keys (prompts are contract-checked; tests add none).
export const probeFlow: FlowDef<Tx> & { completed: unknown[] } = {
  id: "probe",
  title: "help.describe",
  completed: [],
  steps: [
    { id: "name", prompt: "remind.ask.content", label: "remind.label.content", input: text({ min: 2, max: 10 }) },
    { id: "count", prompt: "remind.ask.time", label: "remind.label.time", input: number({ min: 0, max: 99 }), optional: true },
    { id: "kind", prompt: "remind.ask.category", label: "remind.label.category", input: choice(["危险化学品", "人员密集场所/消防", "其他"]) },
    { id: "when", prompt: "remind.ask.date", label: "remind.label.date", promptParams: (c) => dateExamples(c.now), input: date() },
    { id: "pics", prompt: "input.hint.photo", label: "flow.choice.done", input: photos({ min: 1, max: 3 }), optional: true },
    { id: "where", prompt: "input.hint.location", label: "flow.choice.skip", input: location(), optional: true },
    { id: "ok", prompt: "input.hint.confirm", label: "flow.choice.yes", input: confirm() },
  ],
  async complete(_ctx, answers) {
    probeFlow.completed.push(answers);
    return { ok: true, replies: [] };
  },
};

export const probeCommand: CommandDef<Tx> = { id: "probe", keywords: ["探针"], slash: ["probe"], describe: "help.describe", permission: "member", flow: "probe" };
