import { describe, expect, it } from 'vitest';
import { calculator } from '../../../../src/graphs/assistant/tools/calculator';
import { calculate } from '../../../../src/graphs/assistant/tools/exact';

describe('calculate: exact decimal arithmetic', () => {
  it.each([
    ['add', 3, 4, '7'],
    ['add', 0.1, 0.2, '0.3'],
    ['subtract', 0.3, 0.1, '0.2'],
    ['subtract', 4, 10, '-6'],
    ['multiply', 12, 7, '84'],
    ['multiply', 1.1, 1.1, '1.21'],
    ['multiply', -2.5, 4, '-10'],
    ['multiply', 1e21, 10, '10000000000000000000000'],
    ['multiply', Number('9007199254740993'), 1, '9007199254740992'], // JavaScript rounds the input itself
    ['divide', 84, 12, '7'],
    ['divide', 7, 8, '0.875'],
    ['divide', 1, 3, '0.333333333333333'],
    ['divide', 2, 3, '0.666666666666667'],
    ['divide', -1, 4, '-0.25'],
    ['divide', 1.5e-7, 3, '0.00000005'],
    ['power', 2, 10, '1024'],
    ['power', 2, 100, '1267650600228229401496703205376'],
    ['power', 0.5, 3, '0.125'],
    ['power', 2, -2, '0.25'],
    ['power', -2, 3, '-8'],
    ['power', 3, 0, '1'],
    ['power', 9, 0.5, '3'],
    ['power', 2, 0.5, '1.4142135623731'],
  ] as const)('%s(%d, %d) = %s', (op, a, b, expected) => {
    expect(calculate(op, a, b)).toBe(expected);
  });

  it.each([
    ['divide', 1, 0, 'Division by zero is undefined.'],
    ['divide', 0, 0, 'Division by zero is undefined.'],
    ['power', 0, -1, 'Zero to a negative power is a division by zero.'],
    ['power', -8, 1 / 3, 'is not a real number'],
    ['power', 10, 400, 'too large'],
  ] as const)('%s(%d, %d) fails: %s', (op, a, b, message) => {
    expect(() => calculate(op, a, b)).toThrow(message);
  });
});

describe('the calculator tool', () => {
  it('answers with the result as text', async () => {
    expect(await calculator.invoke({ operation: 'multiply', a: 12, b: 7 })).toBe('84');
  });

  it('fails with a readable error for division by zero (ToolNode turns it into an error message)', async () => {
    await expect(calculator.invoke({ operation: 'divide', a: 1, b: 0 })).rejects.toThrow(
      'Division by zero is undefined.',
    );
  });

  it('refuses arguments outside its schema', async () => {
    await expect(calculator.invoke({ operation: 'modulo', a: 1, b: 2 } as never)).rejects.toThrow();
  });
});
