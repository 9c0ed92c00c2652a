/**
 * The schema agent's steps other than validation: analyse, design (the model), apply (the
 * schema design tool) and summarise.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import type { GraphContext } from '../types';
import { streamLLMResponse } from '../../llm/streamLLMResponse';
import { emptySchema, SchemaOperationError, type Schema } from './model/model';
import { applyOperations, type SchemaOperation } from './model/operations';
import { demoRespond } from './demoResponder';
import { events } from './events';
import {
  DESIGN_ANSWER_SCHEMA,
  RETRY_MARKER,
  analysisMessages,
  designMessages,
  parseDesignAnswer,
  type DesignAnswer,
} from './prompts';
import type { SchemaStateType, SchemaStateUpdate } from './state';

/** The name tool events carry. */
export const SCHEMA_TOOL_NAME = 'schemaDesignTool';

/** Asks the model for a short analysis of the requirements (streams as `analyst` tokens). */
export function analyzeNode(ctx: GraphContext) {
  return async (state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> => {
    await events.progress('analyze', 0, 'Analysing the requirements', config);
    const res = await streamLLMResponse(
      ctx.engine(config),
      { messages: analysisMessages(state.requirements), signal: config.signal, maxTokens: 400, demo: demoRespond },
      { agentName: 'analyst', config },
    );
    const analysis = res.content.trim();
    await events.progress('analyze', 1, 'Requirements analysed', config);
    await events.stepComplete('analyze', { analysis }, config);
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
    const retry = state.lastError ? { previousAnswer: state.designAnswer, error: state.lastError, attempt } : undefined;
    await events.progress('design', 0, `Designing the schema (attempt ${attempt} of ${maxAttempts})`, config);
    const res = await streamLLMResponse(
      ctx.engine(config),
      {
        messages: designMessages(state.requirements, state.analysis, retry),
        jsonSchema: DESIGN_ANSWER_SCHEMA,
        signal: config.signal,
        demo: demoRespond,
      },
      { agentName: 'designer', config },
    );
    await events.progress('design', 1, `Design attempt ${attempt} answered`, config);
    await events.stepComplete('design', { attempt, characters: res.content.length }, config);
    const feedback = retry ? [new HumanMessage(`${RETRY_MARKER} ${retry.error}`)] : [];
    return {
      attempts: attempt,
      designAnswer: res.content,
      messages: [...feedback, new AIMessage({ id: res.id, content: res.content, name: 'designer' })],
    };
  };
}

/**
 * The schema design tool: reads the model's answer and applies its operations atomically to an
 * empty schema (every attempt is a complete design). Model mistakes do not throw: they become
 * `tool_error` and `lastError`, which the design step gets back.
 */
export async function applyNode(state: SchemaStateType, config: RunnableConfig): Promise<SchemaStateUpdate> {
  let answer: DesignAnswer | null = null;
  let parseError: string | null = null;
  try {
    answer = parseDesignAnswer(state.designAnswer);
  } catch (err) {
    parseError = (err as Error).message;
  }
  const input = answer ? { operations: answer.operations } : { answer: state.designAnswer.slice(0, 2000) };
  await events.dispatch('tool_start', { toolName: SCHEMA_TOOL_NAME, input }, config);
  if (!answer) {
    const reason = `Malformed answer: ${parseError}`;
    await events.dispatch('tool_error', { toolName: SCHEMA_TOOL_NAME, error: reason }, config);
    return { operations: [], lastError: reason, validation: null };
  }
  const ops = answer.operations;
  let schema: Schema;
  const applied: SchemaOperation[] = [];
  try {
    schema = applyOperations(emptySchema(), ops, (_, op) => void applied.push(op));
  } catch (err) {
    if (!(err instanceof SchemaOperationError)) throw err;
    const reason = `Operations refused: ${err.message}`;
    await events.dispatch('tool_error', { toolName: SCHEMA_TOOL_NAME, error: reason }, config);
    return { operations: ops, rationale: answer.rationale ?? '', lastError: reason, validation: null };
  }
  // Progress is reported once the whole batch is known good, so it never counts half a batch.
  for (let i = 0; i < applied.length; i++)
    await events.dispatch(
      'schema_progress',
      {
        current: i + 1,
        total: applied.length,
        percentage: Math.round(((i + 1) / applied.length) * 1000) / 10,
        operation: `${applied[i].op} ${applied[i].path}`,
      },
      config,
    );
  const result = {
    tables: Object.keys(schema.tables),
    enums: Object.keys(schema.enums),
    operations: ops.length,
  };
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
  await events.stepComplete('summarize', { status: ok ? 'succeeded' : 'failed', summary }, config);
  return {
    summary,
    status: ok ? 'succeeded' : 'failed',
    messages: [new AIMessage({ content: summary, name: 'summary' })],
  };
}
