/**
 * Finds an arithmetic expression in a question ("what is 12 * (3 + 4)?", "2 to the power of 10")
 * and parses it, for the demo engine's scripted use of the calculator.
 */
import type { Operation } from '../tools/exact';

/** A parsed expression: a number, or an operation on two sub-expressions. */
export type Expr = { kind: 'number'; value: number } | { kind: 'op'; op: Operation; left: Expr; right: Expr };

const WORDS: [RegExp, string][] = [
  [/\bto the power of\b|\braised to\b/gi, '^'],
  [/\bmultiplied by\b|\btimes\b/gi, '*'],
  [/\bdivided by\b|\bover\b/gi, '/'],
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\*\*/g, '^'],
  [/[×·]/g, '*'],
  [/÷/g, '/'],
  [/[−–]/g, '-'],
  // "3 x 4": an x between numbers is a multiplication.
  [/(?<=[\d)]\s*)x(?=\s*[\d(])/gi, '*'],
];

const SYMBOLS: Record<string, Operation> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '^': 'power',
};

/** The expression in `question`, or null when it holds none with at least one operation. */
export function findExpression(question: string): Expr | null {
  let text = question;
  for (const [pattern, symbol] of WORDS) text = text.replace(pattern, symbol);
  // The longest run of characters an expression can have, that holds an operator.
  const runs = text.match(/[\d.\s+\-*/^()]+/g) ?? [];
  const candidates = runs
    .map((r) => r.trim().replace(/\.+$/, '')) // a sentence's full stop is not a decimal point
    .filter((r) => /\d/.test(r) && /\d\s*[-+*/^]\s*[-(\d.]/.test(r))
    .sort((a, b) => b.length - a.length);
  for (const candidate of candidates) {
    const expr = parse(candidate);
    if (expr && expr.kind === 'op') return expr;
  }
  return null;
}

/** Parses `text` as a whole expression; null when it is not one. */
export function parse(text: string): Expr | null {
  const tokens = text.match(/\d+(?:\.\d+)?|\.\d+|[-+*/^()]/g) ?? [];
  if (tokens.join('') !== text.replace(/\s+/g, '')) return null;
  let i = 0;
  const peek = () => tokens[i];
  const binary = (op: string, left: Expr, right: Expr): Expr => ({ kind: 'op', op: SYMBOLS[op], left, right });

  function expression(): Expr | null {
    let left = term();
    while (left && (peek() === '+' || peek() === '-')) {
      const op = tokens[i++];
      const right = term();
      left = right ? binary(op, left, right) : null;
    }
    return left;
  }
  function term(): Expr | null {
    let left = factor();
    while (left && (peek() === '*' || peek() === '/')) {
      const op = tokens[i++];
      const right = factor();
      left = right ? binary(op, left, right) : null;
    }
    return left;
  }
  function factor(): Expr | null {
    const base = unary();
    if (!base || peek() !== '^') return base;
    i++;
    const exponent = factor(); // right-associative: 2^3^2 is 2^(3^2)
    return exponent ? binary('^', base, exponent) : null;
  }
  function unary(): Expr | null {
    if (peek() !== '-') return primary();
    i++;
    const inner = unary();
    if (!inner) return null;
    // A negative number is a number; the negation of anything else is -1 times it.
    if (inner.kind === 'number') return { kind: 'number', value: -inner.value };
    return binary('*', { kind: 'number', value: -1 }, inner);
  }
  function primary(): Expr | null {
    const token = tokens[i++];
    if (token === '(') {
      const inner = expression();
      return inner && tokens[i++] === ')' ? inner : null;
    }
    return token !== undefined && /^[\d.]/.test(token) ? { kind: 'number', value: Number(token) } : null;
  }

  const expr = expression();
  return expr && i === tokens.length ? expr : null;
}

const SIGN: Record<Operation, string> = { add: '+', subtract: '-', multiply: '×', divide: '÷', power: '^' };
const PRECEDENCE: Record<Operation, number> = { add: 1, subtract: 1, multiply: 2, divide: 2, power: 3 };

/** The expression as a person writes it: `12 × (3 + 4)`. */
export function show(expr: Expr): string {
  if (expr.kind === 'number') return String(expr.value);
  const side = (e: Expr, right: boolean) => {
    const text = show(e);
    if (e.kind === 'number') return e.value < 0 && expr.op === 'power' && !right ? `(${text})` : text;
    const p = PRECEDENCE[e.op];
    const q = PRECEDENCE[expr.op];
    const wrap =
      p < q ||
      (p === q &&
        (expr.op === 'power' ? !right : right && (expr.op === 'subtract' || expr.op === 'divide' || e.op !== expr.op)));
    return wrap ? `(${text})` : text;
  };
  return `${side(expr.left, false)} ${SIGN[expr.op]} ${side(expr.right, true)}`;
}

/** One step as text: `3 + 4`. */
export function showStep(op: Operation, a: number, b: number): string {
  return show({ kind: 'op', op, left: { kind: 'number', value: a }, right: { kind: 'number', value: b } });
}
