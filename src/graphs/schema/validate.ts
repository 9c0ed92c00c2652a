/**
 * The validation subgraph: generate_ddl -> run_ddl. A compiled graph of its own, so its nodes
 * stream under the `validate:<task id>` namespace.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph/web';
import { generateDdl } from './model/ddl';
import { emptySchema, type Schema } from './model/model';
import type { DdlValidator } from './pglite/pglite';
import { events, instrumentNode } from './events';
import type { ValidationState } from './state';

/** Node names inside the validation subgraph, in order. */
export const VALIDATE_NODE_NAMES = ['generate_ddl', 'run_ddl'] as const;

const last = <T>(initial: () => T) => Annotation<T>({ reducer: (_, next) => next, default: initial });

/** Only what validation reads and writes: the parent's messages stay out of the subgraph. */
export const ValidateState = Annotation.Root({
  schema: last<Schema>(emptySchema),
  ddl: last<string[]>(() => []),
  validation: last<ValidationState | null>(() => null),
  lastError: last<string | null>(() => null),
});
type VState = typeof ValidateState.State;

/** The parent node the node_progress steps belong to (the seed's validate/process/save). */
const NODE = 'validate';

/** Builds the compiled validation subgraph around one DDL validator. */
export function buildValidateGraph(validator: DdlValidator) {
  const generate = async (state: VState, config: RunnableConfig) => {
    await events.progress('validate', 0, 'Generating DDL', config);
    const ddl = await events.nodeStep(NODE, 'validate', config, async () => generateDdl(state.schema));
    await events.progress('validate', 0.3, `Generated ${ddl.length} DDL statements`, config);
    return { ddl };
  };

  const run = async (state: VState, config: RunnableConfig) => {
    const result = await events.nodeStep(NODE, 'process', config, () =>
      validator.validate(state.ddl, config.signal, (done, total) =>
        events.progress('validate', 0.3 + (0.7 * done) / total, `Ran ${done} of ${total} statements`, config),
      ),
    );
    return events.nodeStep(NODE, 'save', config, async () => {
      const validation: ValidationState = { ok: result.ok, errors: result.errors };
      const first = result.errors[0];
      const lastError = first
        ? `PostgreSQL rejected the statement ${JSON.stringify(first.statement.split('\n')[0])}: ${first.message}`
        : null;
      await events.progress(
        'validate',
        1,
        result.ok ? `PostgreSQL accepted ${result.executed} statements` : `Validation failed: ${lastError}`,
        config,
      );
      await events.stepComplete(
        'validate',
        result.ok
          ? `PostgreSQL accepted all ${result.executed} statements`
          : `PostgreSQL refused a statement after ${result.executed} ran`,
        { ok: result.ok, errors: result.errors, durationMs: result.durationMs },
        config,
      );
      return { validation, lastError };
    });
  };

  return new StateGraph(ValidateState)
    .addNode('generate_ddl', instrumentNode('generate_ddl', generate))
    .addNode('run_ddl', instrumentNode('run_ddl', run))
    .addEdge(START, 'generate_ddl')
    .addEdge('generate_ddl', 'run_ddl')
    .addEdge('run_ddl', END)
    .compile({ name: 'validate' });
}
