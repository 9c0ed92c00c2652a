/** The run's input form, drawn from a graph's input schema (zod, through LangGraph's JSON Schema). */
import { getInputTypeSchema } from '@langchain/langgraph/zod/schema';
import { describe, expect, it } from 'vitest';
import { graph as demoGraph } from '../../../src/graphs/demo/graph';
import { graph as schemaGraph } from '../../../src/graphs/schema/graph';
import { checkInput, fieldsOf, humanize } from '../../../src/ui/run/inputForm';

const formOf = (g: unknown) => fieldsOf(getInputTypeSchema(g as never) as Record<string, unknown>);

describe('the input form', () => {
  it('the schema graph (zod input) gets one long-text field, labelled and described', () => {
    const fields = formOf(schemaGraph)!;
    expect(fields.map((f) => [f.key, f.label, f.kind])).toEqual([['requirements', 'Requirements', 'textarea']]);
    expect(fields[0].schema.description).toContain('What the database must store');
    expect(checkInput(fields, { requirements: '' })).toEqual({ requirements: 'Required.' });
    expect(checkInput(fields, { requirements: '   ' })).toEqual({ requirements: 'Required.' });
    expect(checkInput(fields, { requirements: 'x'.repeat(20_001) })).toEqual({
      requirements: 'At most 20000 characters.',
    });
    expect(checkInput(fields, { requirements: 'a blog' })).toEqual({});
  });

  it('the demo graph gets a one-line topic field', () => {
    expect(formOf(demoGraph)!.map((f) => [f.key, f.label, f.kind])).toEqual([['topic', 'Topic', 'text']]);
  });

  it('draws every kind of field a JSON Schema names, and checks them', () => {
    const fields = fieldsOf({
      type: 'object',
      properties: {
        dueDate: { type: 'string', maxLength: 20 },
        count: { type: 'integer', minimum: 1, maximum: 5 },
        ratio: { type: 'number' },
        urgent: { type: 'boolean' },
        colour: { type: 'string', enum: ['red', 'green'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['count'],
    })!;
    expect(fields.map((f) => [f.key, f.label, f.kind, f.required])).toEqual([
      ['dueDate', 'Due date', 'text', false],
      ['count', 'Count', 'integer', true],
      ['ratio', 'Ratio', 'number', false],
      ['urgent', 'Urgent', 'boolean', false],
      ['colour', 'Colour', 'select', false],
      ['tags', 'Tags', 'json', false],
    ]);
    expect(checkInput(fields, { count: 9, colour: 'blue', ratio: Number.NaN })).toEqual({
      count: 'At most 5.',
      colour: 'One of: red, green.',
      ratio: 'Must be a number.',
    });
    expect(checkInput(fields, {})).toEqual({ count: 'Required.' });
    expect(checkInput(fields, { count: 2.5 })).toEqual({ count: 'Must be a whole number.' });
  });

  it('has no form without an object schema (the page shows a JSON editor)', () => {
    expect(fieldsOf(null)).toBeNull();
    expect(fieldsOf({ type: 'string' })).toBeNull();
    expect(humanize('snake_case_key')).toBe('Snake case key');
  });
});
