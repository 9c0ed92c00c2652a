import type { Component } from 'svelte';
import type { RunState } from '../../client/runState';

/** What the page gives a graph's own panel (`src/graphs/<id>/panel/Panel.svelte`). */
export interface GraphPanelProps {
  run: RunState;
  /** A run is going: actions wait. */
  busy: boolean;
  /** Continues the paused thread, after an optional state update written as `asNode`. */
  resume(extra?: { update?: Record<string, unknown>; asNode?: string }): void;
}

/** A graph's page panel. */
export type GraphPanel = Component<GraphPanelProps>;
