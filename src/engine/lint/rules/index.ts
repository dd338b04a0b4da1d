import type { Rule } from './rule.js';
import { concurrentlyInTransaction, indexNotConcurrent } from './indexes.js';
import { addColumnNotNull, alterColumnType, rewritingDefault, setNotNull } from './columns.js';
import { constraintNotValid, uniqueWithoutIndex } from './constraints.js';
import { dropData, rename, unboundedWrite } from './data-loss.js';
import { lockTimeout } from './locks.js';
import { enumAddValue } from './enums.js';
import { createIfNotExists, missingDown } from './conventions.js';
import { downDoesNotReverse } from './reversal.js';

export const RULES: Rule[] = [
  indexNotConcurrent,
  concurrentlyInTransaction,
  addColumnNotNull,
  rewritingDefault,
  alterColumnType,
  setNotNull,
  constraintNotValid,
  uniqueWithoutIndex,
  dropData,
  rename,
  unboundedWrite,
  lockTimeout,
  enumAddValue,
  createIfNotExists,
  missingDown,
  downDoesNotReverse,
];

/** Not a rule of its own but reported like one: a file PostgreSQL's parser rejects. */
export const SYNTAX_ERROR = 'syntax-error';
/** A ladder:ignore comment without a reason. */
export const IGNORE_WITHOUT_REASON = 'ignore-without-reason';

export const RULE_CODES = new Set([...RULES.map((r) => r.code), SYNTAX_ERROR, IGNORE_WITHOUT_REASON]);
