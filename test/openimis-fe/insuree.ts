import { formatPageQuery, formatPageQueryWithCount, type ModulesManager } from './fe-core.js';

/**
 * The documents of BLSQ/openimis-fe-insuree_js, branch impl/gambia (src/actions.js read at 09fe7ded
 * and 056995b1 with the search tool's read_file), rewritten from the source: same entities,
 * filters and projections.
 */
const FAMILY_HEAD_PROJECTION = 'headInsuree{id,uuid,chfId,lastName,otherNames,email,phone,dob,gender{code}}';

const FAMILY_FULL_PROJECTION = (mm: ModulesManager) => [
  'id', 'uuid', 'poverty', 'confirmationNo', 'confirmationType{code}', 'familyType{code}', 'address', 'validityFrom', 'validityTo',
  FAMILY_HEAD_PROJECTION, `location${mm.getProjection('location.Location.FlatProjection')}`, 'clientMutationId',
];

const INSUREE_FULL_PROJECTION = (mm: ModulesManager) => [
  'id', 'uuid', 'chfId', 'lastName', 'otherNames', 'dob', 'age', 'validityFrom', 'validityTo',
  `family{${FAMILY_FULL_PROJECTION(mm).join(',')}}`, 'photo{id,uuid,date,folder,filename,officerId,photo}',
  'gender{code}', 'education{id}', 'profession{id}', 'marital', 'cardIssued',
  `currentVillage${mm.getProjection('location.Location.FlatProjection')}`, 'currentAddress', 'typeOfId{code}', 'passport',
  'relationship{id}', 'head', 'email', 'phone', `healthFacility${mm.getProjection('location.HealthFacilityPicker.projection')}`,
];

/** fetchInsuree (the enquiry dialog, by insurance number). */
export const fetchInsuree = (mm: ModulesManager, chfid: string) => formatPageQuery('insurees', [`chfId:"${chfid}", ignoreLocation:true`], [
  'id', 'uuid', 'chfId', 'lastName', 'otherNames', 'dob', 'age', 'validityFrom', 'validityTo', 'gender{code}', 'family{id}',
  'photo{folder,filename,photo}', 'gender{code, gender, altLanguage}', `healthFacility${mm.getProjection('location.HealthFacilityPicker.projection')}`,
]);

/** fetchInsureeFull (the insuree page). */
export const fetchInsureeFull = (mm: ModulesManager, uuid: string) => formatPageQuery('insurees', [`uuid:"${uuid}"`], INSUREE_FULL_PROJECTION(mm));

/** fetchInsureeSummaries (the insuree searcher); `filters` as its filter pane and fe-core's Searcher build them. */
export const fetchInsureeSummaries = (mm: ModulesManager, filters: string[]) => formatPageQueryWithCount('insurees', filters, [
  'id', 'uuid', 'validityFrom', 'validityTo', 'chfId', 'otherNames', 'lastName', 'phone', 'gender{code}', 'dob', 'marital',
  `family{uuid,location${mm.getProjection('location.Location.FlatProjection')}}`, `currentVillage${mm.getProjection('location.Location.FlatProjection')}`,
]);

/** fetchInsureeMutation / fetchFamilyMutation (what the insuree and family forms read after a save). */
export const fetchInsureeMutation = (_mm: ModulesManager, clientMutationId: string) => formatPageQuery('mutationLogs', [`clientMutationId:"${clientMutationId}"`], ['id', 'insurees{insuree{uuid}}']);
export const fetchFamilyMutation = (_mm: ModulesManager, clientMutationId: string) => formatPageQuery('mutationLogs', [`clientMutationId:"${clientMutationId}"`], ['id', 'families{family{uuid}}']);
