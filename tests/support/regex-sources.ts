/**
 * Every regular expression a set of source files builds, found with the TypeScript compiler API
 * (the program of the root tsconfig.json): regex literals, and `new RegExp(…)` / `RegExp(…)` whose
 * source and flags are folded from string literals, templates, String.raw, `+`, `[…].join(…)` and the `const`
 * declarations (imported ones included) they name. A source that cannot be folded is reported as
 * such, so a dynamic pattern is never silently left unchecked.
 */
import { fileURLToPath } from 'node:url';
import {
  type Expression,
  isArrayLiteralExpression,
  isAsExpression,
  isBinaryExpression,
  isCallExpression,
  isIdentifier,
  isNewExpression,
  isNoSubstitutionTemplateLiteral,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isRegularExpressionLiteral,
  isSatisfiesExpression,
  isStringLiteral,
  isTaggedTemplateExpression,
  isTemplateExpression,
  isVariableDeclaration,
  type Node,
  NodeFlags,
  type SourceFile,
  SyntaxKind,
} from 'typescript/unstable/ast';
import { API, type Checker, type Project, SymbolFlags } from 'typescript/unstable/sync';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface FoundRegex {
  /** "domain/src/assistant/edits.ts:42" */
  where: string;
  source: string;
  flags: string;
}

export interface RegexInventory {
  regexes: FoundRegex[];
  /** `new RegExp(x)` calls whose pattern is not a compile-time constant, by location. */
  unresolved: string[];
}

class NotConstant extends Error {}

/** The string value of a constant expression, following `const` bindings across modules. */
function fold(expression: Expression, checker: Checker, project: Project, depth = 0): string {
  if (depth > 20) throw new NotConstant('too deep');
  const again = (e: Expression) => fold(e, checker, project, depth + 1);
  if (isStringLiteral(expression) || isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (isTemplateExpression(expression)) {
    return expression.templateSpans.reduce(
      (text, span) => text + again(span.expression) + span.literal.text,
      expression.head.text,
    );
  }
  if (
    isTaggedTemplateExpression(expression) &&
    expression.tag.getText() === 'String.raw' &&
    isNoSubstitutionTemplateLiteral(expression.template)
  ) {
    return expression.template.rawText;
  }
  if (
    isParenthesizedExpression(expression) ||
    isAsExpression(expression) ||
    isSatisfiesExpression(expression)
  ) {
    return again(expression.expression);
  }
  if (isBinaryExpression(expression) && expression.operatorToken.kind === SyntaxKind.PlusToken) {
    return again(expression.left) + again(expression.right);
  }
  if (
    isCallExpression(expression) &&
    isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === 'join'
  ) {
    const list = initializerOf(expression.expression.expression, checker, project);
    const separator = expression.arguments[0];
    if (list && isArrayLiteralExpression(list)) {
      return list.elements.map(again).join(separator ? again(separator) : ',');
    }
  }
  if (isIdentifier(expression)) {
    const initializer = initializerOf(expression, checker, project);
    if (initializer) return again(initializer);
  }
  throw new NotConstant(expression.getText());
}

/** The initializer of the `const` an identifier names (through imports), unwrapped of `as const`. */
function initializerOf(expression: Expression, checker: Checker, project: Project): Expression | undefined {
  if (!isIdentifier(expression)) return undefined;
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration?.resolve(project);
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  // Only `const`: a `let` could hold anything by the time the RegExp is built.
  if (!(declaration.parent.flags & NodeFlags.Const)) return undefined;
  let initializer: Expression = declaration.initializer;
  while (isAsExpression(initializer) || isSatisfiesExpression(initializer))
    initializer = initializer.expression;
  return initializer;
}

function isRegExpConstructor(node: Node): node is Node & { arguments?: readonly Expression[] } {
  return (
    (isNewExpression(node) || isCallExpression(node)) &&
    isIdentifier(node.expression) &&
    node.expression.text === 'RegExp'
  );
}

/** Walks the root project's files accepted by `include` (paths relative to the repository root). */
export function findRegexes(include: (relativePath: string) => boolean): RegexInventory {
  const api = new API({ cwd: ROOT });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [`${ROOT}tsconfig.json`] });
    const project = snapshot.getProjects()[0];
    if (!project) throw new Error('the root tsconfig.json has no project');
    const inventory: RegexInventory = { regexes: [], unresolved: [] };
    for (const fileName of project.program.getSourceFileNames()) {
      const relative = fileName.startsWith(ROOT) ? fileName.slice(ROOT.length) : fileName;
      if (relative.includes('node_modules') || !include(relative)) continue;
      const file = project.program.getSourceFile(fileName);
      if (file) collect(file, relative, project, inventory);
    }
    return inventory;
  } finally {
    api.close();
  }
}

function collect(file: SourceFile, relative: string, project: Project, inventory: RegexInventory): void {
  const where = (node: Node) =>
    `${relative}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  const visit = (node: Node): void => {
    if (isRegularExpressionLiteral(node)) {
      const text = node.text;
      const end = text.lastIndexOf('/');
      inventory.regexes.push({ where: where(node), source: text.slice(1, end), flags: text.slice(end + 1) });
    } else if (isRegExpConstructor(node)) {
      const [source, flags] = node.arguments ?? [];
      try {
        if (!source) throw new NotConstant('no pattern');
        inventory.regexes.push({
          where: where(node),
          source: fold(source, project.checker, project),
          flags: flags ? fold(flags, project.checker, project) : '',
        });
      } catch (error) {
        if (!(error instanceof NotConstant)) throw error;
        inventory.unresolved.push(`${where(node)}: ${error.message}`);
      }
    }
    node.forEachChild(visit);
  };
  visit(file);
}
