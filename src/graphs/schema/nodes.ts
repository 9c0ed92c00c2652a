/**
 * The schema agent's steps other than validation: analyse, design (the model), apply (the
 * schema design tool) and summarise.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import type { GraphContext } from '../types';
import { streamLLMResponse } from '../../llm/streamLLMResponse';
import { SchemaOperationError, type Schema } from './model/model';
import { SCHEMA_TOOL_NAME, schemaDesignTool, type SchemaToolResult } from './tool';
import { demoRespond } from './demoResponder';
import { events } from './events';
import {
  ANALYSIS_MAX_TOKENS,
  DESIGN_ANSWER_SCHEMA,
  designMaxTokens,
  RETRY_MARKER,
  analysisMessages,
  designMessages,
  parseDesignAnswer,
  type DesignAnswer,
} from './prompts';
import type { SchemaStateType, SchemaStateUpdate } from './state';

/** Asks the model for a short analysis of the requirements (streams as `analyst` tokens). */
export function analyzeNode(ctx: GraphContext) {
  return async (state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> => {
    await events.progress('analyze', 0, 'Analysing the requirements', config);
    const res = await streamLLMResponse(
      ctx.engine(config),
      {
        messages: analysisMessages(state.requirements),
        signal: config.signal,
        maxTokens: ANALYSIS_MAX_TOKENS,
        demo: demoRespond,
      },
      { agentName: 'analyst', config },
    );
    const analysis = res.content.trim();
    await events.progress('analyze', 1, 'Requirements analysed', config);
    await events.stepComplete('analyze', `Analysed the requirements in ${words(analysis)} words`, { analysis }, config);
    return {
      analysis,
      messages: [
        new HumanMessage(state.requirements),
        new AIMessage({ id: res.id, content: analysis, name: 'analyst' }),
      ],
    };
  };
}

/** Asks the model for schema operations; on a retry the previous failure is in the prompt. */
export function designNode(ctx: GraphContext, maxAttempts: number) {
  return async (state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> => {
    const attempt = state.attempts + 1;
    const retry = state.lastError
      ? { previousAnswer: state.designAnswer, error: state.lastError, attempt, cutOffAt: state.designCutOffAt }
      : undefined;
    const what = `Designing the schema (attempt ${attempt} of ${maxAttempts})`;
    await events.progress('design', 0, what, config);
    const engine = ctx.engine(config);
    const limit = designMaxTokens(engine.contextWindowTokens);
    const res = await streamLLMResponse(
      engine,
      {
        messages: designMessages(state.requirements, state.analysis, retry),
        jsonSchema: DESIGN_ANSWER_SCHEMA,
        signal: config.signal,
        maxTokens: limit,
        demo: demoRespond,
      },
      {
        agentName: 'designer',
        config,
        // The answer's length is not known in advance: progress is against the step's token budget.
        onTokens: (n) => events.progress('design', Math.min(0.95, n / limit), `${what}: ${n} tokens`, config),
      },
    );
    // A cut-off answer would read later as "malformed JSON": say what happened instead.
    const truncated = res.usage?.finishReason === 'length';
    const summary = truncated
      ? `Design attempt ${attempt} was cut off at the limit of ${limit} tokens`
      : `Design attempt ${attempt} answered with ${res.content.length} characters`;
    await events.progress('design', 1, summary, config);
    await events.stepComplete('design', summary, { attempt, characters: res.content.length, truncated }, config);
    const feedback = retry ? [new HumanMessage(`${RETRY_MARKER} ${retry.error}`)] : [];
    return {
      attempts: attempt,
      designAnswer: res.content,
      designCutOffAt: truncated ? limit : null,
      messages: [...feedback, new AIMessage({ id: res.id, content: res.content, name: 'designer' })],
    };
  };
}

/**
 * The tool step: reads the model's answer and calls the schema design tool with the node's
 * config. Model mistakes do not throw: they become `tool_error` and `lastError`, which the
 * design step gets back.
 */
export async function applyNode(state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> {
  let answer: DesignAnswer | null = null;
  let parseError: string | null = null;
  try {
    answer = parseDesignAnswer(state.designAnswer);
  } catch (err) {
    parseError = state.designCutOffAt
      ? `the answer was cut off at the design step's limit of ${state.designCutOffAt} tokens before it was complete`
      : (err as Error).message;
  }
  const input = answer ? { operations: answer.operations } : { answer: state.designAnswer.slice(0, 2000) };
  await events.dispatch('tool_start', { toolName: SCHEMA_TOOL_NAME, input }, config);
  if (!answer) {
    const reason = `Malformed answer: ${parseError}`;
    await events.dispatch('tool_error', { toolName: SCHEMA_TOOL_NAME, error: reason }, config);
    return { operations: [], lastError: reason, validation: null };
  }
  const ops = answer.operations;
  let out: SchemaToolResult & { schema: Schema };
  try {
    out = (await schemaDesignTool.invoke({ operations: ops }, config)) as SchemaToolResult & { schema: Schema };
  } catch (err) {
    if (!(err instanceof SchemaOperationError) && (err as Error)?.name !== 'ToolInputParsingException') throw err;
    const reason = `Operations refused: ${(err as Error).message}`;
    await events.dispatch('tool_error', { toolName: SCHEMA_TOOL_NAME, error: reason }, config);
    return { operations: ops, rationale: answer.rationale ?? '', lastError: reason, validation: null };
  }
  const { schema, ...result } = out;
  await events.dispatch('tool_success', { toolName: SCHEMA_TOOL_NAME, result }, config);
  return { schema, operations: ops, rationale: answer.rationale ?? '', lastError: null };
}

/** Writes the closing summary, deterministic (no model call: it is quick and cannot go wrong). */
export async function summarizeNode(state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> {
  const ok = state.validation?.ok === true && state.lastError === null;
  let summary: string;
  if (ok) {
    const tables = Object.values(state.schema.tables);
    const fks = tables.flatMap((t) => Object.values(t.constraints)).filter((k) => k.type === 'foreign_key').length;
    const indexes = tables.reduce((n, t) => n + Object.keys(t.indexes).length, 0);
    const enums = Object.keys(state.schema.enums).length;
    summary =
      `Designed ${tables.length} table${tables.length === 1 ? '' : 's'} (${tables.map((t) => t.name).join(', ')}) ` +
      `with ${fks} foreign key${fks === 1 ? '' : 's'}, ${indexes} index${indexes === 1 ? '' : 'es'} and ` +
      `${enums} enum${enums === 1 ? '' : 's'} in ${state.attempts} attempt${state.attempts === 1 ? '' : 's'}; ` +
      `PostgreSQL accepted all ${state.ddl.length} statements.`;
  } else {
    summary = `Schema design failed after ${state.attempts} attempt${state.attempts === 1 ? '' : 's'}. Last error: ${state.lastError ?? 'unknown'}`;
    await events.dispatchError('schema_design', new Error(summary), config);
  }
  await events.stepComplete('summarize', summary, { status: ok ? 'succeeded' : 'failed' }, config);
  return {
    summary,
    status: ok ? 'succeeded' : 'failed',
    messages: [new AIMessage({ content: summary, name: 'summary' })],
  };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
