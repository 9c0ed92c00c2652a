import { describe, expect, it } from 'vitest';
import { ddlToScript, generateDdl } from '../../../../src/graphs/schema/model/ddl';
import { parseSafeExpression } from '../../../../src/graphs/schema/model/expr';
import { emptySchema, UnsafeExpressionError } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';

const schema = applyOperations(emptySchema(), [
  { op: 'add', path: '/enums/status', value: { values: ['new', "o'clock"] } },
  {
    op: 'add',
    path: '/tables/order',
    value: {
      comment: "Customers' orders",
      columns: [
        { name: 'id', type: 'serial', nullable: false },
        { name: 'user', type: 'integer', nullable: false, comment: 'who' },
        { name: 'status', type: 'status', default: "'new'" },
        { name: 'total', type: 'numeric(10,2)', check: 'total >= 0 and total < 1000000000' },
      ],
      constraints: [
        { name: 'order_pkey', type: 'primary_key', columns: ['id'] },
        { name: 'fk_user', type: 'foreign_key', columns: ['user'], references: { table: 'user', columns: ['id'] } },
      ],
      indexes: [{ name: 'idx_order_user', columns: ['user', 'status'], unique: true }],
    },
  },
  {
    op: 'add',
    path: '/tables/user',
    value: {
      columns: [{ name: 'id', type: 'int', nullable: false }],
      constraints: [{ name: 'user_pkey', type: 'primary_key', columns: ['id'] }],
    },
  },
]);

describe('generateDdl', () => {
  it('orders enums, tables, foreign keys, indexes, comments and quotes every identifier', () => {
    expect(generateDdl(schema)).toEqual([
      `CREATE TYPE "status" AS ENUM ('new', 'o''clock')`,
      [
        'CREATE TABLE "order" (',
        '  "id" serial NOT NULL,',
        '  "user" integer NOT NULL,',
        `  "status" "status" DEFAULT 'new',`,
        '  "total" numeric(10,2) CHECK (("total" >= 0) AND ("total" < 1000000000)),',
        '  CONSTRAINT "order_pkey" PRIMARY KEY ("id")',
        ')',
      ].join('\n'),
      'CREATE TABLE "user" (\n  "id" integer NOT NULL,\n  CONSTRAINT "user_pkey" PRIMARY KEY ("id")\n)',
      'ALTER TABLE "order" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user") REFERENCES "user" ("id")',
      'CREATE UNIQUE INDEX "idx_order_user" ON "order" USING btree ("user", "status")',
      `COMMENT ON TABLE "order" IS 'Customers'' orders'`,
      `COMMENT ON COLUMN "order"."user" IS 'who'`,
    ]);
  });

  it('is deterministic: a copy of the schema gives the same statements, as written above', () => {
    const first = generateDdl(structuredClone(schema));
    expect(first[0]).toMatch(/^CREATE TYPE /);
    expect(first.at(-1)).toBe(`COMMENT ON COLUMN "order"."user" IS 'who'`);
    expect(ddlToScript(first)).toMatch(/^CREATE TYPE[^]*'who';\n$/);
  });
});

describe('parseSafeExpression', () => {
  it('re-renders into a canonical, idempotent form', () => {
    const once = parseSafeExpression("NOT (a IS NULL) OR b NOT IN ('x', 'y''z') AND c between 1 and -2", true);
    expect(once.columns).toEqual(['a', 'b', 'c']);
    expect(parseSafeExpression(once.sql, true).sql).toBe(once.sql);
    expect(parseSafeExpression('CURRENT_TIMESTAMP', false).sql).toBe('CURRENT_TIMESTAMP');
    expect(parseSafeExpression("'5'::integer", false).sql).toBe("'5'::integer");
  });

  it('refuses anything outside the grammar', () => {
    for (const bad of [
      '1; DROP TABLE x',
      "'a' -- x",
      'now() now()',
      'lower()',
      '"Bad"',
      "'unterminated",
      '$1',
      'x::regclass',
      '',
    ])
      expect(() => parseSafeExpression(bad, true), bad).toThrow(UnsafeExpressionError);
  });
});
