import { randomUUID } from 'node:crypto';

/**
 * openimis/openimis-fe-core_js, as the BLSQ modules call it: how it turns a module's entity, filters
 * and projections into a document, and the documents it sends itself. Rewritten from (read with the
 * search tool's read_file, not copied):
 * - src/helpers/api.js @ 70fe6d88 and src/helpers/api.jsx @ 05ff1011: formatPageQuery,
 *   formatPageQueryWithCount, formatMutation, formatGQLString, parseData / pageInfo;
 * - src/helpers/jsonExt.js: formatJsonField;
 * - src/actions.js @ 0294e6a2: login (tokenAuth), refreshAuthToken, logout, loadUser,
 *   graphqlMutation / waitForMutation, fetchMutation, fetchHistoricalMutations;
 * - src/hooks.js: useGraphqlQuery / useGraphqlMutation (`{ query, variables }` bodies).
 * The documents are the modules' own; only the whitespace the JavaScript templates add differs.
 */

const entityAndFilters = (entity: string, filters?: string[] | null) => `${entity}${filters?.length ? `(${filters.join(',')})` : ''}`;
const pageAndEdges = (projections: string[]) => `pageInfo { hasNextPage, hasPreviousPage, startCursor, endCursor} edges { node { ${projections.join(',')} } }`;

export const formatPageQuery = (entity: string, filters: string[] | null, projections: string[]) =>
  `{ ${entityAndFilters(entity, filters)} { ${pageAndEdges(projections)} } }`;

export const formatPageQueryWithCount = (entity: string, filters: string[] | null, projections: string[]) =>
  `{ ${entityAndFilters(entity, filters)} { totalCount ${pageAndEdges(projections)} } }`;

/** fe-core escapes quotes (and, in later versions, backslashes and control characters). */
export const formatGQLString = (text: string) => text.replace(/"/g, '\\"');

export const formatJsonField = (json: unknown) => `"${JSON.stringify(json).replace(/"/g, '\\"')}"`;

/** A fresh clientMutationId (lodash-uuid) and the OpenIMISMutation document around the module's input. */
export function formatMutation(service: string, input: string, clientMutationLabel: string) {
  const clientMutationId = randomUUID();
  const payload = `mutation { ${service}( input: { clientMutationId: "${clientMutationId}" clientMutationLabel: "${clientMutationLabel}" ${input.trim()} } ) { clientMutationId internalId } }`;
  return { clientMutationId, payload };
}

export const parseData = (data: { edges: Array<{ node: any }> }) => data.edges.map((edge) => edge.node);
export const pageInfo = (data: { totalCount?: number; pageInfo: object }) => ({ totalCount: data.totalCount, ...data.pageInfo });

/** The `mm.getProjection(key)` / `mm.getRef(key)` of the modules the BLSQ front end loads, with their default configuration. */
const LOCATION_SUMMARY = ['id', 'uuid', 'code', 'name', 'type'];
const nestParents = (i: number): string => `parent{${LOCATION_SUMMARY}${i === 0 ? '' : `,${nestParents(i - 1)}`}}`;
const REFS: Record<string, string[]> = {
  // openimis-fe-location_js src/index.js + utils.js: MaxLevels 4 → the summary and 2 nested parents.
  'location.Location.FlatProjection': [...LOCATION_SUMMARY, nestParents(4 - 2)],
  // openimis-fe-location_js src/actions.js HEALTH_FACILITY_PICKER_PROJECTION.
  'location.HealthFacilityPicker.projection': [
    'id', 'uuid', 'code', 'name', 'level', 'servicesPricelist{id, uuid}', 'itemsPricelist{id, uuid}', 'contractStartDate', 'contractEndDate',
    `location{${LOCATION_SUMMARY.join(',')}, parent{${LOCATION_SUMMARY.join(',')}}}`,
  ],
  // openimis-fe-payer_js src/index.js.
  'payer.PayerPicker.projection': ['id', 'uuid', 'name'],
  // openimis-fe-policy_js src/index.js.
  'policy.PolicyPicker.projection': ['id', 'uuid', 'startDate', 'product{name, code, maxInstallments}', 'expiryDate', 'value', 'sumPremiums'],
};

export const modulesManager = {
  getRef: (key: string) => {
    const ref = REFS[key];
    if (!ref) throw new Error(`no ref ${key} in the test modules manager`);
    return ref;
  },
  getProjection: (key: string) => `{${modulesManager.getRef(key).join(',')}}`,
};
export type ModulesManager = typeof modulesManager;

/** fe-core's own documents. */
export const CORE = {
  login: `mutation authenticate($username: String!, $password: String!) {
            tokenAuth(username: $username, password: $password) {
              refreshExpiresIn
            }
          }`,
  refreshAuthToken: `
    mutation refreshAuthToken {
      refreshToken {
        refreshExpiresIn
      }
    }
  `,
  logout: `
      mutation logout {
        deleteTokenCookie {
          deleted
        }
        deleteRefreshTokenCookie {
          deleted
        }
      }
    `,
  waitForMutation: `
        query ($clientMutationId: String) {
          mutationLogs (clientMutationId: $clientMutationId) {
            edges {
              node {
                status
                clientMutationId
                jsonContent
                error
              }
            }
          }
        }
      `,
  fetchMutation: (clientMutationId: string) => formatPageQuery('mutationLogs', [`clientMutationId: "${clientMutationId}"`], [
    'id', 'status', 'error', 'clientMutationId', 'clientMutationLabel', 'clientMutationDetails', 'requestDateTime', 'jsonExt', 'autogeneratedCode',
  ]),
  fetchHistoricalMutations: (pageSize: number, afterCursor?: string) => formatPageQuery(
    'mutationLogs',
    [`first: ${pageSize}`, ...(afterCursor ? [`after: "${afterCursor}"`] : []), 'orderBy: "-request_date_time"'],
    ['id', 'status', 'error', 'clientMutationId', 'clientMutationLabel', 'clientMutationDetails', 'requestDateTime', 'jsonExt'],
  ),
  currentUserPath: '/api/core/users/current_user/',
};

/** PagedDataHandler.query and Searcher.filtersToQueryParams: the paging filters fe-core adds to a module's own. */
export const paged = (prms: string[], pageSize: number, orderBy?: string) => [...prms, `first: ${pageSize}`, ...(orderBy ? [`orderBy: ["${orderBy}"]`] : [])];
