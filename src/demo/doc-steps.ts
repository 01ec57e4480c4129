import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

/**
 * The walk-throughs' runnable steps, read from the docs themselves so that `npm run demo` executes exactly
 * what a reader copies. A step is a fenced ```graphql or ```sh (one curl command) block preceded by a marker:
 *
 *   <!-- demo: create-cycle, as: programme-manager, keep: cycle-id = createCycle.id -->
 *
 * - `as`: the demo user whose token the request carries (none: anonymous);
 * - `keep`: `placeholder = path` pairs (`;`-separated) taken from the answer, which fill `<placeholder>` in
 *   later steps; a path is dot-separated, with array indexes (`-1` is the last) and `*` for every item;
 * - `until`: `path = A|B`: the step is repeated until every value at the path is one of those;
 * - `expect`: `path = A|B`: the step fails unless every value at the path is one of those.
 * A GraphQL block whose operations declare variables takes them from the ```json block right after it.
 * Blocks without a marker are reference material and are not run.
 */
export interface DocStep {
  file: string;
  /** Line of the step's opening fence, 1-based. */
  line: number;
  name: string;
  kind: 'graphql' | 'curl';
  text: string;
  variables?: string;
  as?: string;
  keep: Array<{ placeholder: string; path: string }>;
  until?: Condition;
  expect?: Condition;
}

export interface Condition {
  path: string;
  values: string[];
}

export class DocStepError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

interface Fence {
  line: number;
  info: string;
  text: string;
  /** Index of the first line after the closing fence. */
  end: number;
}

const MARKER = /^\s*<!--\s*demo:\s*(.*?)\s*-->\s*$/;

export function readDocSteps(file: string): DocStep[] {
  return parseDocSteps(file, readFileSync(file, 'utf8'));
}

export function parseDocSteps(file: string, markdown: string): DocStep[] {
  const lines = markdown.split('\n');
  const steps: DocStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const fence = fenceAfter(lines, i + 1);
    if (!fence) throw new DocStepError(file, i + 1, 'a demo marker must be followed by a fenced block');
    const step = { file, line: fence.line, ...parseMarker(file, i + 1, marker[1]) };
    if (fence.info === 'graphql') {
      const variables = declaresVariables(file, fence) ? fenceAfter(lines, fence.end) : undefined;
      if (variables && variables.info !== 'json') throw new DocStepError(file, fence.line, 'an operation with variables needs a ```json block right after it');
      steps.push({ ...step, kind: 'graphql', text: fence.text, ...(variables && { variables: variables.text }) });
    } else if (fence.info === 'sh') {
      steps.push({ ...step, kind: 'curl', text: fence.text });
    } else {
      throw new DocStepError(file, fence.line, `a demo step is a graphql or sh block, not "${fence.info}"`);
    }
  }
  return steps;
}

/** The fenced block starting at `from`, after blank lines only. */
function fenceAfter(lines: string[], from: number): Fence | undefined {
  let i = from;
  while (i < lines.length && lines[i].trim() === '') i++;
  const open = /^\s*```(\w*)\s*$/.exec(lines[i] ?? '');
  if (!open) return undefined;
  const indent = lines[i].indexOf('```');
  const body: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    if (/^\s*```\s*$/.test(lines[j])) return { line: i + 1, info: open[1], text: body.join('\n'), end: j + 1 };
    body.push(lines[j].replace(new RegExp(`^ {0,${indent}}`), ''));
  }
  return undefined;
}

function declaresVariables(file: string, fence: Fence): boolean {
  try {
    return parse(fence.text).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && Boolean(d.variableDefinitions?.length));
  } catch (error) {
    throw new DocStepError(file, fence.line, `not a GraphQL document: ${(error as Error).message}`);
  }
}

function parseMarker(file: string, line: number, content: string): Pick<DocStep, 'name' | 'as' | 'keep' | 'until' | 'expect'> {
  const [name, ...options] = content.split(',').map((part) => part.trim());
  const step: Pick<DocStep, 'name' | 'as' | 'keep' | 'until' | 'expect'> = { name, keep: [] };
  for (const option of options) {
    const [, key, value] = /^(\w+):\s*(.+)$/.exec(option) ?? [];
    if (key === 'as') step.as = value;
    else if (key === 'keep') step.keep = value.split(';').map((pair) => assignment(file, line, pair)).map(([placeholder, path]) => ({ placeholder, path }));
    else if (key === 'until' || key === 'expect') {
      const [path, values] = assignment(file, line, value);
      step[key] = { path, values: values.split('|').map((v) => v.trim()) };
    } else throw new DocStepError(file, line, `unknown demo option "${option}"`);
  }
  return step;
}

function assignment(file: string, line: number, text: string): [string, string] {
  const [left, right] = text.split('=').map((part) => part?.trim());
  if (!left || !right) throw new DocStepError(file, line, `expected "name = path", got "${text.trim()}"`);
  return [left, right];
}
