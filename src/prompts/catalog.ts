/**
 * The contract between code and `prompts/`: every prompt key the code may say, with
 * the placeholders its template uses. The index is generated from prompts/*.yaml into
 * ./keys.generated.ts (`npm run prompts:keys`; tests/prompts/keys.test.ts fails when it
 * is stale), so every sentence is written once. TypeScript checks that the code provides
 * every placeholder; at start-up src/prompts/load.ts checks that the templates still
 * match the index (a hand-edited template that was not regenerated stops the bot).
 */
import { PROMPT_CATALOG } from "./keys.generated.js";

export { PROMPT_CATALOG };

export type PromptKey = keyof typeof PROMPT_CATALOG;
/** A parameter is text, a number, or another prompt (rendered in place). */
export type PromptValue = string | number | Say;

export type PromptParams<K extends PromptKey> = {
  [P in (typeof PROMPT_CATALOG)[K][number]]: PromptValue;
};

/** A sentence to say, not yet rendered: the engine and domain return these. */
export interface Say {
  key: PromptKey;
  params?: Record<string, PromptValue>;
}

export function say<K extends PromptKey>(key: K, ...params: (typeof PROMPT_CATALOG)[K] extends readonly [] ? [] : [PromptParams<K>]): Say {
  return params[0] ? { key, params: params[0] as Record<string, PromptValue> } : { key };
}

/** A prompt key chosen at run time (a flow's title, a command's description). */
export function sayKey(key: PromptKey): Say {
  return { key };
}
