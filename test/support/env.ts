/**
 * Setup file of every test file that talks to DynamoDB. Vitest runs it in the
 * test file's worker before the test file's own imports are evaluated, so a
 * test file may import domain modules statically: by then TABLE_NAME and
 * DYNAMODB_ENDPOINT name a table created for that file alone.
 */
import { afterAll } from 'vitest';
import { dropTable, useFreshTable } from './table.ts';

const table = await useFreshTable();
afterAll(() => dropTable(table));
