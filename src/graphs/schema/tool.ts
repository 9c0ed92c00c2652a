/**
 * The schema design tool: a LangChain tool (so LangGraph's `tools` stream mode shows its calls)
 * that applies the model's operations to an empty schema, all or nothing.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { events } from './events';
import { emptySchema } from './model/model';
import { applyOperation, applyOperations, type SchemaOperation } from './model/operations';

/** The name tool events carry. */
export const SCHEMA_TOOL_NAME = 'schemaDesignTool';

/** What the tool answers: the schema, and what it holds. */
export interface SchemaToolResult {
  tables: string[];
  enums: string[];
  operations: number;
}

/**
 * Refuses a batch that does not apply (a `SchemaOperationError` with each problem), before
 * anything is applied. Then applies it operation by operation, each announced with
 * `schema_progress` before it runs, as the seed's "Progress Indicators" does.
 */
export const schemaDesignTool = tool(
  async ({ operations }: { operations: SchemaOperation[] }, config: RunnableConfig) => {
    // The whole batch is checked first: a refused batch changes nothing and reports every problem.
    applyOperations(emptySchema(), operations);
    const schema = emptySchema();
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i];
      await events.dispatch(
        'schema_progress',
        {
          current: i + 1,
          total: operations.length,
          percentage: Math.round(((i + 1) / operations.length) * 1000) / 10,
          operation: `${op.op} ${op.path}`,
        },
        config,
      );
      applyOperation(schema, op);
    }
    const result: SchemaToolResult = {
      tables: Object.keys(schema.tables),
      enums: Object.keys(schema.enums),
      operations: operations.length,
    };
    return { ...result, schema };
  },
  {
    name: SCHEMA_TOOL_NAME,
    description: 'Applies JSON Patch operations to an empty PostgreSQL schema model, all or nothing.',
    schema: z.object({
      operations: z
        .array(
          z.object({
            op: z.enum(['add', 'remove', 'replace']),
            path: z.string(),
            value: z.unknown().optional(),
          }),
        )
        .describe('JSON Patch operations over the schema model.'),
    }),
  },
);
