/**
 * A small, closed expression grammar for column defaults and check constraints.
 *
 * Model output is parsed into a tree and the DDL gets the tree re-rendered, never the model's
 * text: no statement separator, comment, quote trick or unlisted function can reach Postgres.
 */
import { UnsafeExpressionError, identifierProblem, parseType, typeToString } from './model';

/** Functions an expression may call, with their arity. */
const FUNCTIONS: Record<string, [min: number, max: number]> = {
  now: [0, 0],
  gen_random_uuid: [0, 0],
  lower: [1, 1],
  upper: [1, 1],
  length: [1, 1],
  char_length: [1, 1],
  btrim: [1, 1],
  abs: [1, 1],
};
const CONSTANT_KEYWORDS = ['current_timestamp', 'current_date', 'true', 'false', 'null'];
const COMPARISONS = ['=', '<>', '!=', '<', '<=', '>', '>='];
const MAX_LENGTH = 500;

/** `ident` is a double-quoted identifier: always a column, never a keyword or function. */
type Token = { k: 'num' | 'str' | 'word' | 'ident' | 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else if (c === "'") {
      let v = '';
      for (i++; ; i++) {
        if (i >= src.length) throw new UnsafeExpressionError('unterminated string literal');
        if (src[i] === "'" && src[i + 1] === "'") {
          v += "'";
          i++;
        } else if (src[i] === "'") break;
        else v += src[i];
      }
      i++;
      if (v.includes('\0')) throw new UnsafeExpressionError('string literal contains NUL');
      out.push({ k: 'str', v });
    } else if (c === '"') {
      const end = src.indexOf('"', i + 1);
      const v = end < 0 ? '' : src.slice(i + 1, end);
      const problem = identifierProblem(v, 'quoted identifier');
      if (problem) throw new UnsafeExpressionError(problem);
      out.push({ k: 'ident', v });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'word', v: m[0].toLowerCase() });
      i += m[0].length;
    } else {
      const m = /^(::|<=|>=|<>|!=|[=<>+\-*/%(),])/.exec(src.slice(i));
      if (!m) throw new UnsafeExpressionError(`character ${JSON.stringify(c)} is not allowed`);
      // Two dashes start an SQL comment; refuse them outright rather than re-render.
      if (m[0] === '-' && src[i + 1] === '-') throw new UnsafeExpressionError('"--" is not allowed');
      out.push({ k: 'op', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** The result of checking an expression: its canonical SQL and the columns it reads. */
export interface SafeExpression {
  sql: string;
  columns: string[];
}

/**
 * Parses `text` with the safe grammar and returns its canonical rendering.
 * @param allowColumns false for defaults (Postgres forbids column references there).
 * @throws UnsafeExpressionError with the reason.
 */
export function parseSafeExpression(text: unknown, allowColumns: boolean): SafeExpression {
  if (typeof text !== 'string') throw new UnsafeExpressionError('expression must be a string');
  if (text.length > MAX_LENGTH) throw new UnsafeExpressionError(`expression is longer than ${MAX_LENGTH} characters`);
  const toks = tokenize(text);
  const columns = new Set<string>();
  let p = 0;
  const peek = (v?: string) => (v === undefined ? toks[p] : toks[p]?.v === v && toks[p].k === 'op' ? toks[p] : null);
  const eat = (v: string) => {
    if (!peek(v)) throw new UnsafeExpressionError(`expected "${v}" at token ${p + 1}`);
    p++;
  };
  const isWord = (v: string) => toks[p]?.k === 'word' && toks[p].v === v;

  const or = (): string => {
    let l = and();
    while (isWord('or')) {
      p++;
      l = `(${l} OR ${and()})`;
    }
    return l;
  };
  const and = (): string => {
    let l = not();
    while (isWord('and')) {
      p++;
      l = `(${l} AND ${not()})`;
    }
    return l;
  };
  const not = (): string => (isWord('not') ? (p++, `(NOT ${not()})`) : cmp());
  const cmp = (): string => {
    const l = add();
    const t = peek();
    if (t?.k === 'op' && COMPARISONS.includes(t.v)) return (p++, `(${l} ${t.v === '!=' ? '<>' : t.v} ${add()})`);
    if (isWord('is')) {
      p++;
      const neg = isWord('not') ? (p++, ' NOT') : '';
      if (!isWord('null')) throw new UnsafeExpressionError('expected NULL after IS');
      return (p++, `(${l} IS${neg} NULL)`);
    }
    const neg = isWord('not') && ['in', 'like', 'between'].includes(toks[p + 1]?.v) ? (p++, 'NOT ') : '';
    if (isWord('in')) {
      p++;
      eat('(');
      const items = [add()];
      while (peek(',')) {
        p++;
        items.push(add());
      }
      eat(')');
      return `(${l} ${neg}IN (${items.join(', ')}))`;
    }
    if (isWord('like')) return (p++, `(${l} ${neg}LIKE ${add()})`);
    if (isWord('between')) {
      p++;
      const lo = add();
      if (!isWord('and')) throw new UnsafeExpressionError('expected AND in BETWEEN');
      p++;
      return `(${l} ${neg}BETWEEN ${lo} AND ${add()})`;
    }
    if (neg) throw new UnsafeExpressionError('dangling NOT');
    return l;
  };
  /** One left-associative level of binary operators. */
  const binary = (ops: string[], next: () => string) => (): string => {
    let l = next();
    for (let t = peek(); t?.k === 'op' && ops.includes(t.v); t = peek()) {
      p++;
      l = `(${l} ${t.v} ${next()})`;
    }
    return l;
  };
  const unary = (): string => (peek('-') ? (p++, `(-${unary()})`) : cast(primary()));
  const mul = binary(['*', '/', '%'], unary);
  const add = binary(['+', '-'], mul);
  const cast = (inner: string): string => {
    if (!peek('::')) return inner;
    p++;
    const t = toks[p++];
    const parsed = parseType(t?.k === 'word' ? t.v : '');
    // Casts only to built-in scalar types: an enum cast would need schema context here.
    if (typeof parsed === 'string' || parsed.kind !== 'builtin')
      throw new UnsafeExpressionError(`cast to ${JSON.stringify(t?.v)} is not allowed`);
    return `${inner}::${typeToString(parsed)}`;
  };
  const primary = (): string => {
    const t = toks[p++];
    if (!t) throw new UnsafeExpressionError('unexpected end of expression');
    if (t.k === 'num') return t.v;
    if (t.k === 'str') return `'${t.v.replaceAll("'", "''")}'`;
    if (t.k === 'op' && t.v === '(') {
      const e = or();
      eat(')');
      return e;
    }
    if (t.k === 'op') throw new UnsafeExpressionError(`unexpected "${t.v}"`);
    if (t.k === 'word' && CONSTANT_KEYWORDS.includes(t.v)) return t.v.toUpperCase();
    if (t.k === 'word' && peek('(')) {
      const arity = Object.hasOwn(FUNCTIONS, t.v) ? FUNCTIONS[t.v] : null;
      if (!arity) throw new UnsafeExpressionError(`function ${t.v}() is not allowed`);
      p++;
      const args: string[] = [];
      if (!peek(')')) {
        args.push(or());
        while (peek(',')) {
          p++;
          args.push(or());
        }
      }
      eat(')');
      if (args.length < arity[0] || args.length > arity[1])
        throw new UnsafeExpressionError(`function ${t.v}() takes ${arity[0]}..${arity[1]} arguments`);
      return `${t.v}(${args.join(', ')})`;
    }
    if (!allowColumns) throw new UnsafeExpressionError(`column reference "${t.v}" is not allowed here`);
    const problem = identifierProblem(t.v, 'column');
    if (problem) throw new UnsafeExpressionError(problem);
    columns.add(t.v);
    return `"${t.v}"`;
  };

  if (toks.length === 0) throw new UnsafeExpressionError('expression is empty');
  const sql = or();
  if (p < toks.length) throw new UnsafeExpressionError(`unexpected "${toks[p].v}" after the expression`);
  return { sql: unwrap(sql), columns: [...columns] };
}

/** Drops one pair of parentheses around the whole expression (callers add their own). */
function unwrap(sql: string): string {
  if (!sql.startsWith('(') || !sql.endsWith(')')) return sql;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === '(') depth++;
    else if (!inString && c === ')' && --depth === 0 && i < sql.length - 1) return sql;
  }
  return sql.slice(1, -1);
}
