/**
 * How tool calling travels over an engine that only produces text: the model answers with one
 * JSON object, an "envelope", whose shape a JSON Schema fixes (WebLLM turns it into a grammar):
 *
 *   {"tool_calls": [{"name": "calculator", "args": {"operation": "add", "a": 3, "b": 4}}]}
 *   {"content": "12 × (3 + 4) = 84"}
 *
 * Each tool is its own branch of `tool_calls` items (its name as a one-value enum, its own
 * arguments schema), so a constrained model can only write arguments that fit the tool it named.
 * Tool results go back to the model as a user turn `{"tool_results": [{"name", "content"}]}`, in
 * the order of the calls. Demo responders read the same shapes with {@link parseEnvelope} and
 * {@link parseToolResults}.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { ChatMessage } from '../engines/types';

/** A tool as the model sees it: its name, what it does and its arguments' JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/**
 * Which answers the model may give: `auto` (call tools or answer), `any` (call at least one
 * tool), `none` (answer only), or a tool's name (call that tool).
 */
export type ToolChoice = 'auto' | 'any' | 'none' | (string & {});

/** One tool call in an envelope. */
export interface EnvelopeCall {
  name: string;
  args: Record<string, unknown>;
}

/** A parsed envelope: an answer, tool calls, or (from models that ignore the schema) both. */
export interface Envelope {
  content?: string;
  tool_calls?: EnvelopeCall[];
}

/** One tool result as the model reads it. */
export interface ToolResult {
  name: string;
  content: string;
}

type Json = Record<string, unknown>;

/** A LangChain tool, an OpenAI-style tool definition or `{name, description, schema}` as a {@link ToolSpec}. */
export function toToolSpec(tool: Parameters<typeof convertToOpenAITool>[0]): ToolSpec {
  const { function: fn } = convertToOpenAITool(tool);
  const { $schema: _drop, ...parameters } = (fn.parameters ?? { type: 'object', properties: {} }) as Json;
  return { name: fn.name, description: fn.description ?? '', parameters };
}

/** The tools the model may call under `choice` (all of them, none, or the one named). */
function allowedTools(tools: readonly ToolSpec[], choice: ToolChoice): ToolSpec[] {
  if (choice === 'none') return [];
  if (choice === 'auto' || choice === 'any') return [...tools];
  const named = tools.filter((t) => t.name === choice);
  if (named.length === 0) throw new Error(`tool_choice names "${choice}", which is not among the bound tools.`);
  return named;
}

/** The JSON Schema of the envelope the model must answer with. */
export function envelopeSchema(tools: readonly ToolSpec[], choice: ToolChoice = 'auto'): Json {
  const allowed = allowedTools(tools, choice);
  const answer: Json = {
    type: 'object',
    properties: { content: { type: 'string', description: 'Your answer to the user.' } },
    required: ['content'],
    additionalProperties: false,
  };
  if (allowed.length === 0) return answer;
  const call = (t: ToolSpec): Json => ({
    type: 'object',
    ...(t.description ? { description: t.description } : {}),
    properties: { name: { type: 'string', enum: [t.name] }, args: t.parameters },
    required: ['name', 'args'],
    additionalProperties: false,
  });
  const calls: Json = {
    type: 'object',
    properties: {
      tool_calls: {
        type: 'array',
        minItems: 1,
        items: allowed.length === 1 ? call(allowed[0]) : { anyOf: allowed.map(call) },
      },
    },
    required: ['tool_calls'],
    additionalProperties: false,
  };
  return choice === 'auto' ? { anyOf: [calls, answer] } : calls;
}

/** A short, model-readable line per argument: `"a": number`, `"operation": one of "add", ...`. */
function describeArgs(parameters: Json): string {
  const props = (parameters.properties ?? {}) as Record<string, Json>;
  const required = new Set(Array.isArray(parameters.required) ? parameters.required.map(String) : []);
  const lines = Object.entries(props).map(([key, p]) => {
    const type = Array.isArray(p.enum)
      ? `one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}`
      : String(Array.isArray(p.type) ? p.type.join(' or ') : (p.type ?? 'any'));
    const optional = required.has(key) ? '' : ' (optional)';
    const description = typeof p.description === 'string' ? ` - ${p.description}` : '';
    return `    "${key}": ${type}${optional}${description}`;
  });
  return lines.length ? lines.join('\n') : '    (no arguments: {})';
}

/** The system-prompt section that explains the envelope and lists the tools. */
export function toolInstructions(tools: readonly ToolSpec[], choice: ToolChoice = 'auto'): string {
  const allowed = allowedTools(tools, choice);
  if (allowed.length === 0) return 'Reply with one JSON object and nothing else: {"content": "<your answer>"}.';
  const forms = [
    '- to call tools: {"tool_calls": [{"name": "<tool name>", "args": {<arguments>}}]}. You may call several ' +
      'tools at once; their results come back as {"tool_results": [...]}, in the order of your calls.',
  ];
  if (choice === 'auto') forms.push('- to answer the user: {"content": "<your answer>"}.');
  const list = allowed.map((t) => `- ${t.name}: ${t.description}\n  args:\n${describeArgs(t.parameters)}`);
  return [
    'Reply with one JSON object and nothing else:',
    ...forms,
    'Use a tool whenever it can find or compute something better than you can; never guess a result.',
    '',
    'Tools:',
    ...list,
  ].join('\n');
}

/** The envelope as the model would write it (for the transcript and for demo answers). */
export function envelopeText(envelope: Envelope): string {
  const out: Envelope = {};
  if (envelope.tool_calls?.length) out.tool_calls = envelope.tool_calls.map(({ name, args }) => ({ name, args }));
  if (envelope.content !== undefined && (envelope.content !== '' || !out.tool_calls)) out.content = envelope.content;
  return JSON.stringify(out);
}

/** The envelope in `text`, or null when it is not one. */
export function parseEnvelope(text: string): Envelope | null {
  const value = parseObject(text);
  if (!value) return null;
  const out: Envelope = {};
  if (typeof value.content === 'string') out.content = value.content;
  if (Array.isArray(value.tool_calls)) {
    const calls = value.tool_calls.map(toCall);
    if (calls.some((c) => c === null)) return null;
    out.tool_calls = calls as EnvelopeCall[];
  }
  return out.content === undefined && out.tool_calls === undefined ? null : out;
}

/** A tool call item, or null when it is not `{name: string, args?: object}`. */
export function toCall(item: unknown): EnvelopeCall | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
  const { name, args = {} } = item as { name?: unknown; args?: unknown };
  if (typeof name !== 'string' || !name) return null;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
  return { name, args: args as Record<string, unknown> };
}

/** The tool results in a user turn, or null when the turn is not one. */
export function parseToolResults(text: string): ToolResult[] | null {
  const value = parseObject(text);
  if (!value || !Array.isArray(value.tool_results)) return null;
  return value.tool_results.map((r: { name?: unknown; content?: unknown }) => ({
    name: String(r?.name ?? ''),
    content: String(r?.content ?? ''),
  }));
}

function parseObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

/** The text of a message's content (text parts of a multi-part content joined). */
export function textOf(content: BaseMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'string' ? part : part.type === 'text' ? String(part.text ?? '') : ''))
    .join('');
}

/**
 * LangChain messages as engine turns. System messages are merged into one leading turn (several
 * chat templates accept only one) followed by `instructions`; an AI message with tool calls
 * becomes the envelope it stands for (and, with `envelopes`, every AI answer does); consecutive
 * tool messages become one user turn of results, since some templates need turns to alternate.
 */
export function toChatMessages(
  messages: readonly BaseMessage[],
  options: { instructions?: string; envelopes?: boolean } = {},
): ChatMessage[] {
  const system: string[] = [];
  const turns: ChatMessage[] = [];
  let results: ToolResult[] | null = null;
  const flush = () => {
    if (results) turns.push({ role: 'user', content: JSON.stringify({ tool_results: results }) });
    results = null;
  };
  for (const m of messages) {
    const type = m.getType();
    const text = textOf(m.content);
    if (type === 'tool') {
      (results ??= []).push({ name: m.name ?? 'tool', content: text });
      continue;
    }
    flush();
    if (type === 'system' || type === 'developer') system.push(text);
    else if (type === 'ai') {
      const calls = ((m as { tool_calls?: { name: string; args: Record<string, unknown> }[] }).tool_calls ?? []).map(
        ({ name, args }) => ({ name, args }),
      );
      const content = calls.length || options.envelopes ? envelopeText({ content: text, tool_calls: calls }) : text;
      turns.push({ role: 'assistant', content });
    } else turns.push({ role: 'user', content: text });
  }
  flush();
  if (options.instructions) system.push(options.instructions);
  return system.length ? [{ role: 'system', content: system.join('\n\n') }, ...turns] : turns;
}
