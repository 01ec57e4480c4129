import { Kind, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ParseOptions, type ValidationRule } from 'graphql';

/** A document that parsed and validated as Apollo would parse and validate it, with its one operation. */
export interface KnownDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** As many as a few PSP integrations' documents need; literal-valued documents (one per call) churn through. */
const MAX_DOCUMENTS = 1_000;

/**
 * The documents the fast path may run: one query or mutation whose root selections are all fields
 * of `rootFields` (the PSP API), valid under the rules Apollo applies (graphql-js's, plus the depth,
 * cost, alias and directive limits). Apollo's NoIntrospection rule is not needed: `__schema` and
 * `__type` are root fields, which such a document cannot select. Anything else, including a
 * document with any error, is left to Apollo, which answers it as ever. Parsed and validated once
 * per document text, as Apollo's own document store does.
 */
export class KnownDocuments {
  /** null: seen, and not one for the fast path. */
  private readonly documents = new Map<string, KnownDocument | null>();
  private readonly rules: readonly ValidationRule[];
  private readonly fieldNames: readonly string[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rootFields: ReadonlySet<string>,
    private readonly parseOptions: ParseOptions,
    validationRules: readonly ValidationRule[],
  ) {
    this.rules = [...specifiedRules, ...validationRules];
    this.fieldNames = [...rootFields];
  }

  get(query: string): KnownDocument | undefined {
    let known = this.documents.get(query);
    if (known === undefined) {
      // Most of the API's documents name none of the fields: they cost a scan here, never a parse.
      if (!this.fieldNames.some((field) => query.includes(field))) return undefined;
      known = this.prepare(query);
      if (this.documents.size >= MAX_DOCUMENTS) this.documents.clear();
      this.documents.set(query, known);
    }
    return known ?? undefined;
  }

  private prepare(query: string): KnownDocument | null {
    let document: DocumentNode;
    try {
      document = parse(query, this.parseOptions);
    } catch {
      return null;
    }
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) return null;
    const [operation] = operations;
    if (operation.operation === 'subscription') return null;
    const onlyOurs = operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && this.rootFields.has(selection.name.value));
    if (!onlyOurs || validate(this.schema, document, this.rules).length > 0) return null;
    return { document, operation };
  }
}
