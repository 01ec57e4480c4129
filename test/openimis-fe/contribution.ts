import { formatGQLString, formatJsonField, formatMutation, formatPageQuery, formatPageQueryWithCount, type ModulesManager } from './fe-core.js';

/**
 * The documents of BLSQ/openimis-fe-contribution_js, branch feature/gambia-mobile-payments (read at
 * 2daeeb88 with the search tool's read_file): src/graphql/queries.js (GET_WALLETS,
 * INITIATE_TRANSACTION, PROCESS_TRANSACTION, sent by AddPayment.js / ConfirmPaymentModal.js through
 * useGraphqlQuery / useGraphqlMutation) and src/actions.js (the rest, through fe-core's graphql()).
 * Rewritten from the sources, same fields, arguments and literals (the amount unquoted from
 * `edited.policy.value`, the trailing comma included).
 */
export const GET_WALLETS = `
query {
  paymentServiceProvider{
     edges{
       node{
         name,
         uuid,
         account,
         pin
       }
     }
    }
}
`;

export const INITIATE_TRANSACTION = (amount: string, serviceProvider: string, insureeUuid: string) => `
       mutation InitiateTransaction {
         initiateTransaction(
        input: {
            amount:${amount},
            paymentServiceProviderUuid:"${serviceProvider}",
            insureeUuid:"${insureeUuid}" ,
        }
            ) {
              Success
              responseMessage
              uuids
              detail
              clientMutationId
            }
        }
   `;

export const PROCESS_TRANSACTION = (amount: string, serviceProvider: string, insureeUuid: string, otp: string, transactionId: string) => `
    mutation {
      processTransaction(input: {
        otp:"${otp}",
        amount:${amount},
        insureeUuid:"${insureeUuid}",
        paymentServiceProviderUuid:"${serviceProvider}",
        uuid:"${transactionId}"
      }) {

        responseCode
        responseMessage
        clientMutationId
        Success
        detail
        clientMutationId
      }
    }
    `;

const CONTRIBUTION_FULL_PROJECTION = (mm: ModulesManager) => [
  'id', 'uuid', 'payDate', 'amount', 'payType', 'receipt', 'isPhotoFee', 'clientMutationId',
  `payer${mm.getProjection('payer.PayerPicker.projection')}`,
  `policy${mm.getProjection('policy.PolicyPicker.projection')}`,
];

/** actions.js fetchPoliciesPremiums (PoliciesPremiumsOverview). */
export const fetchPoliciesPremiums = (mm: ModulesManager, filters: string[]) => formatPageQueryWithCount('premiumsByPolicies', filters, [
  'id', 'uuid', 'payDate', `payer${mm.getProjection('payer.PayerPicker.projection')}`, 'amount', 'payType', 'receipt', 'isPhotoFee',
]);

/** actions.js fetchContributionsSummaries (ContributionSearcher). */
export const fetchContributionsSummaries = (mm: ModulesManager, filters: string[]) => formatPageQueryWithCount('premiums', filters, [
  'id', 'uuid', 'payDate', 'amount', 'payType', 'receipt', 'isPhotoFee', 'clientMutationId', 'validityTo', `payer${mm.getProjection('payer.PayerPicker.projection')}`,
]);

/** actions.js fetchPolicySummary (ContributionForm, with the policy of the route). */
export const fetchPolicySummary = (_mm: ModulesManager, policyUuid: string) => formatPageQuery('policies', [`uuid: "${policyUuid}"`], [
  'id', 'uuid', 'startDate', 'product{name}', 'expiryDate', 'value', 'family{headInsuree{uuid,otherNames}}',
]);

/** actions.js fetchContribution: by uuid, else by the clientMutationId of the mutation that created it. */
export const fetchContribution = (mm: ModulesManager, contributionUuid: string | null, clientMutationId?: string) =>
  formatPageQuery('premiums', contributionUuid ? [`uuid: "${contributionUuid}"`] : clientMutationId ? [`clientMutationId: "${clientMutationId}"`] : [], CONTRIBUTION_FULL_PROJECTION(mm));

export interface Contribution {
  uuid?: string;
  receipt?: string;
  payDate?: string;
  payType?: string;
  isPhotoFee: boolean;
  action?: string;
  payer?: { uuid: string };
  transactionUuid?: string;
  jsonExt?: unknown;
  policy: { uuid: string; value: string };
}

/** actions.js formatContributionGQL. */
export function formatContributionGQL(_mm: ModulesManager, contribution: Contribution): string {
  return `
    ${contribution.uuid !== undefined && contribution.uuid !== null ? `uuid: "${contribution.uuid}"` : ''}
    ${contribution.receipt ? `receipt: "${formatGQLString(contribution.receipt)}"` : ''}
    ${contribution.payDate ? `payDate: "${contribution.payDate}"` : ''}
    ${contribution.payType ? `payType: "${contribution.payType}"` : ''}
    ${`isPhotoFee: ${contribution.isPhotoFee}`}
    ${contribution.action ? `action: "${contribution.action}"` : ''}
    ${`amount: "${formatGQLString(contribution.policy.value)}"`}
    ${contribution.payer ? `payerUuid: "${contribution.payer.uuid}"` : ''}
    ${contribution.transactionUuid ? `paymentTransactionUuid: "${contribution.transactionUuid}"` : ''}
    ${contribution.jsonExt ? `jsonExt: ${formatJsonField(contribution.jsonExt)}` : ''}
    ${contribution.policy ? `policyUuid: "${formatGQLString(contribution.policy.uuid)}"` : ''}
  `;
}

/** actions.js createContribution (SaveContributionDialog → ContributionForm.save). */
export const createContribution = (mm: ModulesManager, contribution: Contribution, clientMutationLabel: string) =>
  formatMutation('createPremium', formatContributionGQL(mm, contribution), clientMutationLabel);
