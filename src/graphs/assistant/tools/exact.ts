/**
 * Decimal arithmetic without binary rounding: 0.1 + 0.2 is 0.3, 2^100 is every digit of it.
 * A number is read as the shortest decimal that JavaScript prints for it, then computed with
 * BigInt. Division and powers that have no finite decimal are rounded to 15 significant digits.
 */

/** An arithmetic operation the calculator offers. */
export type Operation = 'add' | 'subtract' | 'multiply' | 'divide' | 'power';

/** value = digits / 10^scale */
interface Decimal {
  digits: bigint;
  scale: number;
}

/** Exact results longer than this many digits are refused rather than printed. */
const MAX_DIGITS = 400;
const SIGNIFICANT = 15;

/** An arithmetic failure the model can read and act on (division by zero, overflow). */
export class ArithmeticError extends Error {
  override name = 'ArithmeticError';
}

function toDecimal(n: number): Decimal {
  if (!Number.isFinite(n)) throw new ArithmeticError(`${n} is not a finite number.`);
  const [mantissa, exponent = '0'] = String(n).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return scale < 0 ? { digits: digits * 10n ** BigInt(-scale), scale: 0 } : { digits, scale };
}

function format({ digits, scale }: Decimal): string {
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  if (text.length > MAX_DIGITS) throw new ArithmeticError('The result is too large to print exactly.');
  if (scale > 0) {
    text = text.padStart(scale + 1, '0');
    text = `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  }
  return (negative ? '-' : '') + text;
}

const pow10 = (n: number) => 10n ** BigInt(n);

function approximate(value: number): string {
  if (!Number.isFinite(value)) throw new ArithmeticError('The result is too large to compute.');
  return String(Number(value.toPrecision(SIGNIFICANT)));
}

function divide(a: Decimal, b: Decimal, approx: () => number): string {
  if (b.digits === 0n) throw new ArithmeticError('Division by zero is undefined.');
  const num = a.digits * pow10(b.scale);
  const den = a.scale > 0 ? b.digits * pow10(a.scale) : b.digits;
  // A finite decimal needs at most as many digits after the point as the divisor has
  // factors of 2 or 5; 60 covers every divisor a JavaScript number can spell.
  for (let k = 0; k <= 60; k++) {
    const scaled = num * pow10(k);
    if (scaled % den === 0n) return format({ digits: scaled / den, scale: k });
  }
  return approximate(approx());
}

function power(a: Decimal, exponent: number, base: number): string {
  if (!Number.isInteger(exponent) || Math.abs(exponent) > 10_000) {
    const value = Math.pow(base, exponent);
    if (Number.isNaN(value)) throw new ArithmeticError(`${base} to the power ${exponent} is not a real number.`);
    return approximate(value);
  }
  const n = Math.abs(exponent);
  // Refuse before computing a number too long to print (digits grow with the exponent).
  const length = a.digits === 0n ? 1 : (a.digits < 0n ? -a.digits : a.digits).toString().length;
  if (length * n > MAX_DIGITS * 2) return approximate(Math.pow(base, exponent));
  const raised: Decimal = { digits: a.digits ** BigInt(n), scale: a.scale * n };
  if (exponent >= 0) return format(raised);
  if (raised.digits === 0n) throw new ArithmeticError('Zero to a negative power is a division by zero.');
  return divide({ digits: 1n, scale: 0 }, raised, () => Math.pow(base, exponent));
}

/** `a <operation> b`, as decimal text. Throws {@link ArithmeticError} with a readable message. */
export function calculate(operation: Operation, a: number, b: number): string {
  const x = toDecimal(a);
  const y = toDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const align = (d: Decimal) => d.digits * pow10(scale - d.scale);
  switch (operation) {
    case 'add':
      return format({ digits: align(x) + align(y), scale });
    case 'subtract':
      return format({ digits: align(x) - align(y), scale });
    case 'multiply':
      return format({ digits: x.digits * y.digits, scale: x.scale + y.scale });
    case 'divide':
      return divide(x, y, () => a / b);
    case 'power':
      return power(x, b, a);
  }
}
