/**
 * The contract between code and `prompts/`: every prompt key the code may say, with
 * the placeholders it provides. At start-up every template is checked against this
 * list (src/prompts/load.ts): a missing key, an unknown key or a placeholder the code
 * does not provide stops the bot. TypeScript checks the code side.
 */
export const PROMPT_CATALOG = {
  // core
  "core.help.header": [],
  "core.help.identity": ["name", "roles"],
  "core.help.item": ["keyword", "slash", "description"],
  "core.help.footer": [],
  "core.help.in_flow": ["flow"],
  "core.unknown": ["text"],
  "core.empty": [],
  "core.too_long": ["length", "max"],
  "core.no_session": [],
  "core.expired_reply": ["flow", "keyword"],
  "core.not_allowed": ["command"],
  "core.need_bind": ["command"],
  "core.inactive": [],
  "core.unknown_unbound": ["text"],
  "core.help.bind_hint": [],
  "core.error": [],
  "core.roles.none": [],
  "core.attachment_only": [],

  // session lifecycle
  "session.expiring": ["flow", "minutes"],
  "session.expired": ["flow", "minutes", "keyword"],

  // flow engine built-ins
  "flow.cancelled": ["flow"],
  "flow.back_at_start": [],
  "flow.cannot_skip": [],
  "flow.reask": ["reason", "hint"],
  "flow.strikes": ["count"],
  "flow.abandon.ask": ["current", "next"],
  "flow.abandon.kept": ["flow"],
  "flow.summary.header": ["flow"],
  "flow.summary.line": ["label", "value"],
  "flow.summary.ask": [],
  "flow.summary.unclear": [],
  "flow.edit.ask": [],
  "flow.edit.unclear": [],
  "flow.value.empty": [],
  "flow.choice.yes": [],
  "flow.choice.edit": [],
  "flow.choice.cancel": [],
  "flow.choice.skip": [],
  "flow.choice.done": [],
  "flow.photo.received": ["count"],
  "flow.photo.need_more": ["min"],
  "flow.photo.too_many": ["max"],
  "flow.value.photos": ["count"],
  "flow.value.location": ["lat", "lng", "label"],
  "flow.value.yes": [],
  "flow.value.no": [],

  // input hints and errors (re-ask)
  "input.hint.text": [],
  "input.hint.choice": ["options"],
  "input.hint.number": [],
  "input.hint.date": [],
  "input.hint.photo": [],
  "input.hint.location": [],
  "input.hint.confirm": [],
  "input.error.empty": [],
  "input.error.too_short": ["min"],
  "input.error.too_long": ["max"],
  "input.error.not_choice": ["text"],
  "input.error.not_number": ["text"],
  "input.error.number_range": ["min", "max"],
  "input.error.not_yes_no": ["text"],
  "input.error.need_photo": [],
  "input.error.need_location": [],
  "input.error.date_unknown": ["text"],
  "input.error.date_month": ["month"],
  "input.error.date_day": ["month", "day"],
  "input.error.date_time": ["text"],
  "input.error.date_past": ["date"],
  "input.error.date_too_far": ["date"],

  // demo flow: work reminders (工作提醒)
  "remind.title": [],
  "remind.describe": [],
  "remind.ask.content": [],
  "remind.ask.category": [],
  "remind.ask.date": [],
  "remind.ask.time": [],
  "remind.label.content": [],
  "remind.label.category": [],
  "remind.label.date": [],
  "remind.label.time": [],
  "remind.created": ["id", "when", "content"],
  "remind.due": ["content", "category", "name"],
  "remind.due_late": ["content", "category", "name", "when"],
  "remind.error.past": ["when"],
  "remind.list.header": ["count"],
  "remind.list.item": ["id", "when", "content"],
  "remind.list.empty": [],
  "remind.list.describe": [],


  // binding (绑定)
  "bind.title": [],
  "bind.describe": [],
  "bind.ask.who": [],
  "bind.ask.mobile": [],
  "bind.label.who": [],
  "bind.label.mobile": [],
  "bind.already": ["name", "region"],
  "bind.locked": ["until"],
  "bind.locked_now": ["count", "minutes"],
  "bind.failed": ["reason", "left"],
  "bind.reason.unknown_name": ["name"],
  "bind.reason.mismatch": [],
  "bind.reason.bad_invite": [],
  "bind.done": ["name", "region", "roles"],
  "input.hint.mobile": [],
  "input.error.mobile": ["text"],
  "input.hint.file": ["types"],
  "input.error.need_file": ["types"],

  // roster (花名册)
  "roster.title": [],
  "roster.describe": [],
  "roster.ask.file": [],
  "roster.label.file": [],
  "roster.file_error": ["reason"],
  "roster.report": ["created", "updated", "unchanged", "regions"],
  "roster.bad_rows": ["errors"],
  "roster.error_line": ["row", "reason"],
  "roster.missing": ["count", "names"],
  "roster.deactivated": ["count"],

  // organisation admin
  "org.out_of_scope": ["scope"],
  "org.usage": ["usage"],
  "org.no_person": ["mobile"],
  "org.more": ["count"],
  "org.group_only": [],
  "org.group_info.describe": [],
  "org.group_info.none": [],
  "org.group_info.show": ["region", "purpose", "when"],
  "org.register.describe": [],
  "org.register.done": ["region", "purpose"],
  "org.region_ambiguous": ["matches"],
  "org.no_region": ["region"],
  "org.bind_member.describe": [],
  "org.bind_member.done": ["account", "name", "region"],
  "org.unbind.describe": [],
  "org.unbind.done": ["name", "count"],
  "org.unbind.none": ["name", "count"],
  "org.invite.describe": [],
  "org.invite.done": ["name", "code", "until"],
  "org.unbound.describe": [],
  "org.unbound.people": ["region", "count"],
  "org.unbound.person": ["name", "region", "roles"],
  "org.unbound.accounts": ["count", "names"],
  "org.deactivate.describe": [],
  "org.deactivate.done": ["name"],
  "org.activate.describe": [],
  "org.activate.done": ["name"],

  // help describes itself too
  "help.describe": [],
} as const satisfies Record<string, readonly string[]>;

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
