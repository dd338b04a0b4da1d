import { report, type Rule } from './rule.js';

const CREATES: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  CreateSeqStmt: 'CREATE SEQUENCE',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CreateTableAsStmt: 'CREATE TABLE AS',
};

export const createIfNotExists: Rule = {
  code: 'create-if-not-exists',
  optIn: true,
  summary: 'CREATE without IF NOT EXISTS (a convention: off unless enabled)',
  check({ kind, node }) {
    const what = CREATES[kind];
    if (!what || node.if_not_exists) return [];
    return [report(this.code, 'info', `${what} without IF NOT EXISTS fails when the object is already there (a re-run after a partial failure).`, `${what} IF NOT EXISTS ...`)];
  },
};

export const missingDown: Rule = {
  code: 'missing-down',
  summary: 'an up migration without a down',
  checkFile(file) {
    if (file.direction !== 'up' || file.hasDown !== false) return [];
    return [report(this.code, 'info', `Migration ${file.version} has no down: it cannot be rolled back by the tool.`, `Write the down that reverses this up (drop what it creates, restore what it changes).`)];
  },
};
