/**
 * What other features may ask of the organisation: people, their regions and
 * roles, and the registered groups. Only this file is imported from outside
 * src/features/org (its repo is its own).
 */
export { countyAdmins, findRegion, groupsFor, holdersOf, namesOf, peopleAt, peopleCount, personById, regionByPath, regionNames, type PersonProfile } from "./repo.js";
export { findRegionIn, shortRegionName } from "./rules.js";
