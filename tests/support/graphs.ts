/**
 * Registry entries for the built-in graphs, made as the build's `virtual:tabgraph/graphs` makes
 * them from `langgraph.json` (the module is imported when the graph is first used).
 */
import { graphEntry } from '../../src/worker/registry';

export const demoEntry = graphEntry('demo', () => import('../../src/graphs/demo/graph'));
export const schemaEntry = graphEntry('schema', () => import('../../src/graphs/schema/graph'));
