/**
 * The graph registry: `langgraph.json`, in the LangGraph CLI's format, read at build time (and by
 * the dev server). It becomes two virtual modules:
 *
 * - `virtual:tabgraph/graphs` (worker): one entry per graph that imports its module on demand;
 * - `virtual:tabgraph/catalog` (page): the ids and descriptions, and each graph's page panel
 *   (`panel/Panel.svelte` beside its module), loaded on demand.
 *
 * An entry whose file or export is missing stops the build and the dev server with a message
 * that names the entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import type { Plugin, ViteDevServer } from 'vite';

/** One graph of the registry, resolved against the config file's folder. */
export interface RegistryEntry {
  id: string;
  /** Absolute path of the module. */
  file: string;
  exportName: string;
  description?: string;
  /** Absolute path of the graph's page panel, when it has one. */
  panel?: string;
}

/** A problem with `langgraph.json`; the message names the entry. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

const ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** The names a TypeScript or JavaScript module exports (`*` when it re-exports a whole module). */
export function exportNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const names = new Set<string>();
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const st of source.statements) {
    if (ts.isVariableStatement(st) && exported(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && exported(st)) {
      if (isDefault(st)) names.add('default');
      else if (st.name) names.add(st.name.text);
    } else if (ts.isExportAssignment(st)) {
      names.add('default');
    } else if (ts.isExportDeclaration(st)) {
      if (!st.exportClause) names.add('*');
      else if (ts.isNamedExports(st.exportClause)) for (const e of st.exportClause.elements) names.add(e.name.text);
    }
  }
  return names;
}

/** Reads and checks `langgraph.json`; throws a {@link RegistryError} naming what is wrong. */
export function readRegistry(configFile: string): RegistryEntry[] {
  if (!existsSync(configFile)) throw new RegistryError(`${configFile} is missing: it lists the graphs to build.`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new RegistryError(`langgraph.json is not valid JSON: ${(err as Error).message}`);
  }
  const graphs = (config as { graphs?: unknown } | null)?.graphs;
  if (!graphs || typeof graphs !== 'object' || Array.isArray(graphs))
    throw new RegistryError('langgraph.json has no "graphs" object ({"<id>": "./path/to/file.ts:<export>"}).');
  const base = dirname(configFile);
  const entries: RegistryEntry[] = [];
  for (const [id, value] of Object.entries(graphs as Record<string, unknown>)) {
    const where = `langgraph.json, graph "${id}"`;
    if (!ID.test(id)) throw new RegistryError(`${where}: ids use letters, digits, "_", "-" and "." only.`);
    const spec = typeof value === 'string' ? value : (value as { path?: unknown } | null)?.path;
    if (typeof spec !== 'string' || !spec)
      throw new RegistryError(`${where}: expected "./path/to/file.ts:<export>" or {"path": ..., "description": ...}.`);
    const colon = spec.lastIndexOf(':');
    const path = colon > 1 ? spec.slice(0, colon) : spec;
    const exportName = colon > 1 ? spec.slice(colon + 1) : 'default';
    const file = resolve(base, path);
    if (!existsSync(file)) throw new RegistryError(`${where}: the file ${path} does not exist.`);
    const names = exportNames(file);
    if (!names.has(exportName) && !names.has('*'))
      throw new RegistryError(
        `${where}: ${path} has no export named "${exportName}" (it exports: ${[...names].join(', ') || 'nothing'}).`,
      );
    const description = (value as { description?: unknown }).description;
    const panel = resolve(dirname(file), 'panel', 'Panel.svelte');
    entries.push({
      id,
      file,
      exportName,
      ...(typeof description === 'string' ? { description } : {}),
      ...(existsSync(panel) ? { panel } : {}),
    });
  }
  return entries;
}

const WORKER_ID = 'virtual:tabgraph/graphs';
const PAGE_ID = 'virtual:tabgraph/catalog';
const q = (s: string) => JSON.stringify(s);

/** The worker's module: registry entries that import their graph module when first needed. */
export function workerModule(entries: RegistryEntry[]): string {
  const items = entries.map(
    (e) =>
      `  { id: ${q(e.id)}, ${e.description ? `description: ${q(e.description)}, ` : ''}` +
      `load: () => import(${q(e.file)}).then((m) => ({ exported: m[${q(e.exportName)}], meta: m.tabgraph })) },`,
  );
  return `export const GRAPH_ENTRIES = [\n${items.join('\n')}\n];\n`;
}

/** The page's module: ids and descriptions, and the panels, loaded when their graph is shown. */
export function pageModule(entries: RegistryEntry[]): string {
  const list = entries.map((e) => `  { id: ${q(e.id)}${e.description ? `, description: ${q(e.description)}` : ''} },`);
  const panels = entries
    .filter((e) => e.panel)
    .map((e) => `  ${q(e.id)}: () => import(${q(e.panel!)}).then((m) => m.default),`);
  return `export const GRAPH_CATALOG = [\n${list.join('\n')}\n];\nexport const GRAPH_PANELS = {\n${panels.join('\n')}\n};\n`;
}

/**
 * The Vite plugin. The registry is `configFile`, else `$TABGRAPH_LANGGRAPH_CONFIG` (the same
 * variable `npm run server` reads), else `langgraph.json` in the project root.
 */
export function graphRegistry(configFile = process.env.TABGRAPH_LANGGRAPH_CONFIG): Plugin {
  let file = '';
  let entries: RegistryEntry[] = [];
  const reload = (server: ViteDevServer) => {
    try {
      entries = readRegistry(file);
    } catch (err) {
      server.config.logger.error(`[tabgraph] ${(err as Error).message}`);
      return;
    }
    for (const id of [`\0${WORKER_ID}`, `\0${PAGE_ID}`]) {
      const mod = server.moduleGraph.getModuleById(id);
      if (mod) server.moduleGraph.invalidateModule(mod);
    }
    server.ws.send({ type: 'full-reload' });
  };
  return {
    name: 'tabgraph-graph-registry',
    configResolved(config) {
      file = configFile ? resolve(configFile) : resolve(config.root, 'langgraph.json');
      // Throwing here stops `vite build` and `vite` (dev) before they start, naming the entry.
      entries = readRegistry(file);
    },
    configureServer(server) {
      server.watcher.add(file);
      server.watcher.on('change', (changed) => {
        if (resolve(changed) === file) reload(server);
      });
    },
    resolveId(id) {
      return id === WORKER_ID || id === PAGE_ID ? `\0${id}` : null;
    },
    load(id) {
      if (id === `\0${WORKER_ID}`) return workerModule(entries);
      if (id === `\0${PAGE_ID}`) return pageModule(entries);
      return null;
    },
  };
}
