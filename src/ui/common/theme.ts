/** The colour themes; `system` follows prefers-color-scheme. */
export type Theme = 'light' | 'dark';

/** localStorage key of the user's explicit choice. */
export const THEME_KEY = 'tabgraph.theme';

/** Minimal storage surface, so the logic runs in node tests without a DOM. */
export interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The theme to show: the saved choice, else what the system prefers. */
export function initialTheme(storage: ThemeStorage | undefined, prefersDark: boolean): Theme {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(THEME_KEY) ?? null;
  } catch {
    // Storage can throw (disabled cookies, sandboxed frames): fall back to the system choice.
  }
  if (saved === 'light' || saved === 'dark') return saved;
  return prefersDark ? 'dark' : 'light';
}

/** Flips the theme and remembers the choice (best effort). */
export function toggleTheme(current: Theme, storage: ThemeStorage | undefined): Theme {
  const next: Theme = current === 'dark' ? 'light' : 'dark';
  try {
    storage?.setItem(THEME_KEY, next);
  } catch {
    // Not persisting is acceptable; the toggle still works for this visit.
  }
  return next;
}
