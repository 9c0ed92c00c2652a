/**
 * The schema agent's state. Everything but `messages` is plain JSON; messages are LangChain
 * messages (the `values` stream shows them, and `toPlain` turns them into plain objects).
 */
import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, messagesStateReducer } from '@langchain/langgraph/web';
import { emptySchema, type Schema } from './model/model';
import type { SchemaOperation } from './model/operations';
import type { DdlError } from './pglite/pglite';

/** The last validation of the DDL in PGlite. */
export interface ValidationState {
  ok: boolean;
  errors: DdlError[];
}

/** Where a run stands: `failed` once the attempts are used up. */
export type DesignStatus = 'running' | 'succeeded' | 'failed';

const last = <T>(initial: () => T) => Annotation<T>({ reducer: (_, next) => next, default: initial });

/** The state annotation of the schema graph and its subgraphs. */
export const SchemaState = Annotation.Root({
  requirements: last<string>(() => ''),
  /** The model's short analysis of the requirements. */
  analysis: last<string>(() => ''),
  /** The schema after the last batch that applied cleanly (empty until then). */
  schema: last<Schema>(emptySchema),
  /** The operations of the latest design attempt, as the model wrote them. */
  operations: last<SchemaOperation[]>(() => []),
  rationale: last<string>(() => ''),
  /** The latest model answer of the design step, raw (fed back on a retry). */
  designAnswer: last<string>(() => ''),
  /** The token limit the latest design answer was cut off at (finish reason `length`); else null. */
  designCutOffAt: last<number | null>(() => null),
  /** DDL statements for `schema`, without trailing semicolons. */
  ddl: last<string[]>(() => []),
  validation: last<ValidationState | null>(() => null),
  /** Design attempts made so far. */
  attempts: last<number>(() => 0),
  /** Why the latest attempt failed (bad JSON, refused operation, Postgres error); null when it did not. */
  lastError: last<string | null>(() => null),
  status: last<DesignStatus>(() => 'running'),
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  summary: last<string>(() => ''),
});

export type SchemaStateType = typeof SchemaState.State;
export type SchemaStateUpdate = typeof SchemaState.Update;
