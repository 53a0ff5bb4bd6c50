// The shape of the key catalogue (keys.ts): one node per key of the desired-state document.
// The static validator and the JSON Schema generator both walk these nodes, so the two cannot
// disagree about which keys exist, which lists are sets, or which model shape a key maps to.

/** A format the model does not state but the API documents (checked by rules/value-formats.ts). */
export type ValueFormat = 'passive-ip' | 'log-group-arn' | 'acm-certificate-arn' | 'ssm-parameter-name' | 'dns-hostname' | 'hosted-zone-id';

interface NodeBase {
  /** Short description (our own words) used in the JSON Schema. */
  description: string;
  /**
   * The Transfer model shape this node is checked against (functions/shared/aws-models/transfer.json).
   * When set, its type, lengths, patterns, enums and required members come from the model.
   */
  shape?: string;
}

export interface ObjectNode extends NodeBase {
  type: 'object';
  members: Record<string, CatalogueNode>;
  required?: readonly string[];
  /** `""` is accepted instead of the object: it removes what the object sets (CustomHostname). */
  orEmptyString?: true;
}

export interface ListNode extends NodeBase {
  type: 'list';
  item: CatalogueNode;
  /** Compared without regard to order; duplicates are invalid. */
  set?: boolean;
  min?: number;
  max?: number;
}

export interface StringNode extends NodeBase {
  type: 'string';
  enum?: readonly string[];
  /** Unanchored, as in the model; matched against the whole value. */
  pattern?: string;
  min?: number;
  max?: number;
  format?: ValueFormat;
}

export interface BooleanNode extends NodeBase {
  type: 'boolean';
}

export type CatalogueNode = ObjectNode | ListNode | StringNode | BooleanNode;
