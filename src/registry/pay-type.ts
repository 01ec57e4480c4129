import { registerEnumType } from 'type-graphql';

/** openIMIS premium pay types, stored as the one-letter code. */
export enum PayType {
  B = 'B',
  C = 'C',
  M = 'M',
  F = 'F',
}

registerEnumType(PayType, {
  name: 'PayType',
  description: 'How a premium was paid.',
  valuesConfig: {
    B: { description: 'Bank transfer' },
    C: { description: 'Cash' },
    M: { description: 'Mobile phone (mobile money)' },
    F: { description: 'Funding' },
  },
});
