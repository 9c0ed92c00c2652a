import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { calculate } from './exact';
import { reportTool } from './report';

export const OPERATIONS = ['add', 'subtract', 'multiply', 'divide', 'power'] as const;

export const CalculatorArgs = z.object({
  operation: z.enum(OPERATIONS).describe('add: a + b, subtract: a - b, multiply: a * b, divide: a / b, power: a ^ b'),
  a: z.number().describe('The first number.'),
  b: z.number().describe('The second number.'),
});

/**
 * Exact arithmetic on two numbers. The result is decimal text (`0.1 + 0.2` gives `0.3`); division
 * by zero and results too large to compute fail as tool errors, which the agent reads.
 */
export const calculator = tool(
  (args, config) => reportTool('calculator', args, config, async () => calculate(args.operation, args.a, args.b)),
  {
    name: 'calculator',
    description:
      'Exact arithmetic on two numbers: add, subtract, multiply, divide or power. Use it for every calculation, ' +
      'one operation per call; call it again with the result for the next step.',
    schema: CalculatorArgs,
  },
);
